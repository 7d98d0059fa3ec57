using System.Text;
using Reprise.Core.Model;
using Reprise.Core.Recording;
using Xunit;

namespace Reprise.Core.Tests.Support;

/// <summary>Structural equality of exchanges, with a readable failure.</summary>
internal static class ExchangeAssert
{
    /// <summary>
    /// Equal when every field is: compared through the canonical serialisation (which writes every field,
    /// bodies byte for byte) plus the fields that serialisation spells loosely (timestamp offset, duration ticks).
    /// </summary>
    public static void Equal(Exchange expected, Exchange actual)
    {
        Assert.Equal(expected.StartedAt, actual.StartedAt);
        Assert.Equal(expected.StartedAt.Offset, actual.StartedAt.Offset);
        Assert.Equal(expected.Duration.Ticks, actual.Duration.Ticks);
        Assert.Equal(expected.Request.Body?.Content.ToArray(), actual.Request.Body?.Content.ToArray());
        Assert.Equal(expected.Response?.Body?.Content.ToArray(), actual.Response?.Body?.Content.ToArray());
        Assert.Equal(Encoding.UTF8.GetString(ExchangeJson.Serialize(expected)), Encoding.UTF8.GetString(ExchangeJson.Serialize(actual)));
    }
}
