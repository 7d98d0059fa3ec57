using CsCheck;
using Reprise.Core.Text;
using Xunit;

namespace Reprise.Core.Tests.Text;

/// <summary>
/// The one reader of header parameters that redaction (multipart part names), replay (value rules' form fields) and the
/// mock (boundaries, SOAP actions, part names) share; each had its own before, and they disagreed on quotes and spaces.
/// </summary>
public sealed class HeaderParametersTests
{
    [Theory]
    [InlineData("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk", "boundary", "----WebKitFormBoundary7MA4YWxk")]
    [InlineData("multipart/form-data;boundary=\"simple boundary\"", "boundary", "simple boundary")]
    [InlineData("multipart/form-data ; BOUNDARY = abc ", "boundary", "abc")]
    [InlineData("form-data; name=\"file\"; filename=\"a;b.txt\"", "filename", "a;b.txt")]
    [InlineData("form-data; filename=\"name=evil.txt\"; name=\"upload\"", "name", "upload")]
    [InlineData("form-data; name=\"say \\\"hi\\\"\"", "name", "say \"hi\"")]
    [InlineData("application/soap+xml; charset=utf-8; action=\"urn:GetUser\"", "action", "urn:GetUser")]
    [InlineData("form-data; name=\"unterminated", "name", "unterminated")]
    [InlineData("form-data; name=\"f\"; filename=\"C:\\tmp\\a.txt\"", "filename", "C:\\tmp\\a.txt")] // browsers send other backslashes as they are
    [InlineData("form-data; filename=\"a\\b.txt\"; name=\"upload\"", "name", "upload")]
    [InlineData("form-data; name=", "name", "")]
    public void Get_ReadsTheParameter(string value, string name, string expected) => Assert.Equal(expected, HeaderParameters.Get(value, name));

    [Theory]
    [InlineData("form-data; filename=\"x.txt\"", "name")] // not inside another parameter's name
    [InlineData("form-data", "name")]
    [InlineData("", "name")]
    [InlineData("text/plain; x=\"; name=y\"", "name")] // not inside a quoted value
    public void Get_MissingParameter_IsNull(string value, string name) => Assert.Null(HeaderParameters.Get(value, name));

    [Fact]
    public void OfHeader_ReadsTheNamedHeaderOnly()
    {
        const string head = "Content-Type: text/plain; name=\"from-type\"\r\ncontent-disposition: form-data; name=\"comment\"\r\n";

        Assert.Equal("comment", HeaderParameters.OfHeader(head, "Content-Disposition", "name"));
        Assert.Equal("from-type", HeaderParameters.OfHeader(head, "Content-Type", "name"));
        Assert.Null(HeaderParameters.OfHeader(head, "Content-Disposition", "filename"));
        Assert.Null(HeaderParameters.OfHeader("Content-Type: text/plain\n", "Content-Disposition", "name"));
        Assert.Equal("a", HeaderParameters.OfHeader("Content-Disposition: form-data; name=a\n\n", "content-disposition", "name"));
    }

    [Fact]
    public void AnyValue_WrittenAsAQuotedString_IsReadBack()
    {
        var text = Gen.String[Gen.Char[' ', '~'], 0, 40];
        Gen.Select(text, text).Sample((first, second) =>
        {
            static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            var header = $"form-data; filename={Quote(first)}; name={Quote(second)}";

            Assert.Equal(first, HeaderParameters.Get(header, "filename"));
            Assert.Equal(second, HeaderParameters.Get(header, "name"));
        });
    }
}
