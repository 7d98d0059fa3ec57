namespace Reprise.Core.Transforms;

/// <summary>
/// Matches response statuses: <c>404</c>, <c>2xx</c>, <c>500-599</c>, or a comma list of these.
/// <c>error</c> matches exchanges that got no response.
/// </summary>
public sealed class StatusMatcher
{
    private readonly (int Low, int High)[] _ranges;
    private readonly bool _matchesError;

    private StatusMatcher(string text, (int, int)[] ranges, bool matchesError)
    {
        Text = text;
        _ranges = ranges;
        _matchesError = matchesError;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Parses the expression; returns an error message instead of throwing.</summary>
    public static StatusMatcher? TryParse(string text, out string? error)
    {
        error = null;
        var ranges = new List<(int, int)>();
        var matchesError = false;
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw.ToLowerInvariant();
            if (part == "error")
            {
                matchesError = true;
            }
            else if (part.Length == 3 && part.EndsWith("xx", StringComparison.Ordinal) && part[0] is >= '1' and <= '5')
            {
                var hundred = (part[0] - '0') * 100;
                ranges.Add((hundred, hundred + 99));
            }
            else if (part.Split('-') is [var low, var high] && int.TryParse(low, out var l) && int.TryParse(high, out var h) && l <= h)
            {
                ranges.Add((l, h));
            }
            else if (int.TryParse(part, out var exact) && exact is >= 100 and <= 999)
            {
                ranges.Add((exact, exact));
            }
            else
            {
                error = $"'{raw}' is not a status (use e.g. 404, 2xx, 500-599, error)";
                return null;
            }
        }

        if (ranges.Count == 0 && !matchesError)
        {
            error = "empty status filter";
            return null;
        }

        return new StatusMatcher(text, [.. ranges], matchesError);
    }

    /// <summary>True when the status (null: no response) matches.</summary>
    public bool IsMatch(int? status)
    {
        if (status is not { } s)
        {
            return _matchesError;
        }

        foreach (var (low, high) in _ranges)
        {
            if (s >= low && s <= high)
            {
                return true;
            }
        }

        return false;
    }
}
