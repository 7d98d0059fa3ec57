using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Reprise.Replay.Correlation;

/// <summary>
/// An element path of local names (<c>/body/auth</c>, namespaces and prefixes ignored, as redaction writes a location) and
/// the one thing a value rule does with it: set the text of the elements there.
/// </summary>
internal static class XmlElementPath
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    /// <summary>The local names of <paramref name="path"/>, or null when it is not <c>/name/name…</c>.</summary>
    public static string[]? Parse(string path)
    {
        if (path.Length < 2 || path[0] != '/')
        {
            return null;
        }

        var names = path[1..].Split('/');
        foreach (var name in names)
        {
            if (name.Length == 0)
            {
                return null;
            }

            try
            {
                XmlConvert.VerifyNCName(name);
            }
            catch (XmlException)
            {
                return null;
            }
        }

        return names;
    }

    /// <summary>
    /// The document with the text of every element at <paramref name="names"/> set to <paramref name="text"/> (with
    /// <paramref name="existingOnly"/>, only elements that hold text and no child element: the masked secret), or null
    /// when there is none or the body is not XML. Written without a declaration unless the body had one.
    /// </summary>
    public static byte[]? SetText(ReadOnlySpan<byte> body, string[] names, string text, bool existingOnly)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }

        if (document.Root is not { } root || root.Name.LocalName != names[0])
        {
            return null;
        }

        IEnumerable<XElement> level = [root];
        for (var i = 1; i < names.Length; i++)
        {
            var name = names[i];
            level = level.SelectMany(e => e.Elements()).Where(e => e.Name.LocalName == name).ToList();
        }

        var changed = false;
        foreach (var element in level)
        {
            if (existingOnly && (element.HasElements || element.Value.Length == 0))
            {
                continue;
            }

            element.Value = text;
            changed = true;
        }

        if (!changed)
        {
            return null;
        }

        // In the encoding the body declares (read that way): UTF-8 bytes under encoding="ISO-8859-1" sent a secret with a
        // non-ASCII letter as other characters.
        var xml = document.Root.ToString(SaveOptions.DisableFormatting);
        return EncodingOf(document.Declaration).GetBytes(document.Declaration is { } declaration ? declaration + xml : xml);
    }

    private static Encoding EncodingOf(XDeclaration? declaration)
    {
        if (declaration?.Encoding is { Length: > 0 } name)
        {
            try
            {
                return Encoding.GetEncoding(name);
            }
            catch (ArgumentException)
            {
                // An encoding this runtime does not know could not have been read either.
            }
        }

        return Encoding.UTF8;
    }
}
