using System.Runtime.InteropServices;
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
/// <para>
/// Keyed by the value alone, ordinally (the dictionary's fast string hash, which it replaces by a randomized one when
/// values collide), each value holding its (kind, operation) entries: almost always one. A key of (value, kind,
/// operation) hashed the value with the randomized hash on every lookup.
/// </para>
/// </summary>
internal sealed class TokenCache
{
    /// <summary>The most entries kept; the cache is emptied when it is full (a stream of ever new values then pays what it paid before).</summary>
    public const int Capacity = 4096;

    /// <summary>Longer values are not cached (their HMAC is a small part of their cost, and they would hold memory).</summary>
    public const int MaxValueLength = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _entries = new(StringComparer.Ordinal);
    private int _count;

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
                return _count;
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
            if (_entries.TryGetValue(value, out var slot))
            {
                return slot.TryGet(kind, operation, out replacement);
            }
        }

        replacement = null!;
        return false;
    }

    public void Add(string value, DataKind kind, Operation operation, string replacement)
    {
        if (value.Length > MaxValueLength)
        {
            return;
        }

        lock (_gate)
        {
            if (_count >= Capacity)
            {
                _entries.Clear();
                _count = 0;
            }

            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, value, out var exists);
            if (!exists)
            {
                slot = new Slot(kind, operation, replacement);
                _count++;
            }
            else if (!slot.TryGet(kind, operation, out _))
            {
                slot.More = [.. slot.More ?? [], new Entry(kind, operation, replacement)];
                _count++;
            }
        }
    }

    private readonly record struct Entry(DataKind Kind, Operation Operation, string Replacement);

    /// <summary>A value's entries: the first inline, any others (the same value under another kind or operation) after it.</summary>
    private struct Slot(DataKind kind, Operation operation, string replacement)
    {
        public Entry First = new(kind, operation, replacement);

        public Entry[]? More;

        public readonly bool TryGet(DataKind kind, Operation operation, out string replacement)
        {
            if (First.Kind == kind && First.Operation == operation)
            {
                replacement = First.Replacement;
                return true;
            }

            foreach (var entry in More ?? [])
            {
                if (entry.Kind == kind && entry.Operation == operation)
                {
                    replacement = entry.Replacement;
                    return true;
                }
            }

            replacement = null!;
            return false;
        }
    }
}
