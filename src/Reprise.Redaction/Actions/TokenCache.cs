using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Actions;

/// <summary>
/// The keyed replacements (tokens, fakes, number digits) already computed in one stream, so a value that recurs
/// (the same <c>Authorization</c> header on every exchange of a session, a user's own email in every response) costs
/// a dictionary lookup instead of an HMAC (and, for fakes, a Bogus faker). Every entry is a pure function of the
/// policy's key, the value, its kind and the operation, so a hit returns exactly what <see cref="ValueRewriter"/>
/// would compute: outputs do not change. Bounded (<see cref="Capacity"/> entries of values up to
/// <see cref="MaxValueLength"/> characters; emptied when full) and held by one stream's policy only, like the values
/// <see cref="Engine.CarriedValues"/> already keeps for that stream; never logged or written. Thread-safe.
/// </summary>
internal sealed class TokenCache
{
    /// <summary>The most entries kept; the cache is emptied when it is full (a stream of ever new values then pays what it paid before).</summary>
    public const int Capacity = 4096;

    /// <summary>Longer values are not cached (their HMAC is a small part of their cost, and they would hold memory).</summary>
    public const int MaxValueLength = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<Key, string> _entries = new();

    /// <summary>What produced the replacement.</summary>
    public enum Operation : byte
    {
        Tokenize,
        Fake,
        Digits,
    }

    /// <summary>How many entries are held now (tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string value, DataKind kind, Operation operation, out string replacement)
    {
        if (value.Length > MaxValueLength)
        {
            replacement = null!;
            return false;
        }

        lock (_gate)
        {
            return _entries.TryGetValue(new Key(value, kind, operation), out replacement!);
        }
    }

    public void Add(string value, DataKind kind, Operation operation, string replacement)
    {
        if (value.Length > MaxValueLength)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.Count >= Capacity)
            {
                _entries.Clear();
            }

            _entries[new Key(value, kind, operation)] = replacement;
        }
    }

    private readonly record struct Key(string Value, DataKind Kind, Operation Operation);
}
