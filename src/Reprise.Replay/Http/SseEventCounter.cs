namespace Reprise.Replay.Http;

/// <summary>
/// Counts the events a server-sent-events stream dispatches, fed in any pieces: per the HTML standard's event stream
/// interpretation (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation), lines end
/// with CRLF, LF or CR, one leading UTF-8 BOM is skipped, and a blank line dispatches an event when the block before it
/// had a <c>data</c> field (a block of comments, <c>id:</c> or <c>retry:</c> lines only dispatches nothing). A block the
/// stream ends inside is not counted, as a browser discards it.
/// </summary>
internal struct SseEventCounter
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private int _bom; // bytes of a leading BOM matched so far; 3 (or -1 once something else came) ends the check
    private int _line; // bytes of the current line so far
    private int _field; // 0-4: the line so far is that much of "data"; 5: it is a data field ("data:..."); -1: another line
    private bool _cr; // the last byte was CR (a LF right after it ends no second line)
    private bool _data; // the current block has a data field

    public int Count { get; private set; }

    /// <summary>Feeds the next bytes of the stream; returns the events dispatched so far.</summary>
    public int Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (_bom is >= 0 and < 3)
            {
                if (b == Bom[_bom])
                {
                    _bom++;
                    continue; // a BOM at the start is not part of the first line
                }

                if (_bom > 0)
                {
                    _line = _bom; // EF or EF BB then something else: those bytes began the first line
                    _field = -1;
                }

                _bom = -1;
            }

            if (b == (byte)'\n' && _cr)
            {
                _cr = false; // CRLF: one line end
                continue;
            }

            _cr = b == (byte)'\r';
            if (b is (byte)'\r' or (byte)'\n')
            {
                EndLine();
                continue;
            }

            _field = _field switch
            {
                >= 0 and < 4 => b == "data"u8[_field] ? _field + 1 : -1,
                4 => b == (byte)':' ? 5 : -1,
                _ => _field,
            };
            _line++;
        }

        return Count;
    }

    /// <summary>The events dispatched in a whole stored body.</summary>
    public static int CountEvents(ReadOnlySpan<byte> body)
    {
        var counter = default(SseEventCounter);
        return counter.Add(body);
    }

    private void EndLine()
    {
        if (_line == 0)
        {
            if (_data)
            {
                Count++; // a blank line dispatches the block's event
            }

            _data = false;
        }
        else if (_field is 4 or 5)
        {
            _data = true; // "data" alone or "data:..." (an empty value still dispatches)
        }

        _line = 0;
        _field = 0;
    }
}
