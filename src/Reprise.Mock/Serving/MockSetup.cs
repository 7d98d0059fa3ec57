using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Mock.Config;
using Reprise.Mock.Matching;

namespace Reprise.Mock.Serving;

/// <summary>Validates options and loads the recording into an index (used at start and on every reload).</summary>
internal static class MockSetup
{
    public static MockRules BuildRules(MockServerOptions options)
    {
        var errors = new List<string>();
        if (options.MissStatus is < 100 or > 599)
        {
            errors.Add($"--miss-status: '{options.MissStatus}' is not an HTTP status (100-599)");
        }

        if (options.Index.Similarity is < 0 or > 1 || double.IsNaN(options.Index.Similarity))
        {
            errors.Add($"--similarity: '{options.Index.Similarity}' is not between 0 and 1");
        }

        SameAddress(options.H2cListen, "--h2c-listen", options.Listen, "--listen", errors);
        SameAddress(options.ProxyListen, "--proxy-listen", options.Listen, "--listen", errors);
        SameAddress(options.ProxyListen, "--proxy-listen", options.H2cListen, "--h2c-listen", errors);
        var rules = MockRules.Build(options.Chaos, options.ConfigPath, options.Volatile, options.Time, errors);
        if (!File.Exists(options.RecordingPath))
        {
            errors.Add($"{options.RecordingPath}: file does not exist");
        }

        if (errors.Count > 0)
        {
            throw new MockSetupException(errors);
        }

        return rules;
    }

    private static void SameAddress(System.Net.IPEndPoint? endpoint, string flag, System.Net.IPEndPoint? other, string otherFlag, List<string> errors)
    {
        if (endpoint is not null && other is not null && endpoint.Port != 0 && endpoint.Equals(other))
        {
            errors.Add($"{flag}: {endpoint} is also the {otherFlag} address; use another port");
        }
    }

    /// <summary>Reads the recording and builds the index; empty or wrong-direction recordings are errors.</summary>
    public static async Task<MockIndex> LoadAsync(MockServerOptions options, MockRules rules, Action<string>? onWarning, CancellationToken cancellationToken)
    {
        var exchanges = new List<Exchange>();
        var source = ExchangeSources.Open(options.RecordingPath, new RecordingReadOptions { SkipInvalid = options.SkipInvalid, OnWarning = w => onWarning?.Invoke(w.ToString()) });
        await foreach (var exchange in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            exchanges.Add(exchange);
        }

        var direction = options.Index.Direction;
        var served = 0;
        var other = 0;
        var failures = 0;
        foreach (var exchange in exchanges)
        {
            if (MockIndex.Serves(exchange, direction))
            {
                served++;
            }
            else if (exchange.Direction != direction)
            {
                other++;
            }
            else if (exchange.Response is not null && MockIndex.AnsweredByRecorder(exchange))
            {
                failures++;
            }
        }

        if (exchanges.Count == 0)
        {
            throw new MockSetupException([$"{options.RecordingPath}: the recording has no exchanges; nothing to mock"]);
        }

        if (served == 0)
        {
            throw new MockSetupException([failures > 0
                ? $"{options.RecordingPath}: every {direction.ToString().ToLowerInvariant()} exchange with a response recorded an upstream failure ({failures}: no connection or no answer in time, answered by the recorder); nothing the service answered to mock"
                : direction == Direction.Outbound && other > 0
                    ? $"{options.RecordingPath}: the recording has only inbound exchanges ({other}); use --direction inbound to stand in for the recorded service"
                    : $"{options.RecordingPath}: no {direction.ToString().ToLowerInvariant()} exchanges with a response; nothing to mock"]);
        }

        if (failures > 0)
        {
            onWarning?.Invoke($"{options.RecordingPath}: {failures} {direction.ToString().ToLowerInvariant()} exchange(s) recorded an upstream failure (no connection or no answer in time) that the recorder answered itself; not served");
        }

        var header = (source as RecordingReader)?.Header;
        var redactedHeader = header?.RedactionPolicy is { } policy && !string.Equals(policy, NoRedaction.Instance.PolicyName, StringComparison.Ordinal);
        return MockIndex.Build(exchanges, options.Index, rules, redactedHeader);
    }
}
