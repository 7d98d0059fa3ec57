using System.CommandLine;
using Reprise.Core.Pipeline;
using Reprise.Core.Transforms;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// The request filters shared by <c>filter</c>, <c>replay</c> and <c>mock</c>: defined once, added to a
/// command, and turned into transforms after validation.
/// </summary>
internal sealed class FilterOptionSet
{
    public Option<string[]> Method { get; } = new("--method") { Description = "Keep these methods (repeat or comma-separate: GET,POST).", AllowMultipleArgumentsPerToken = true };

    public Option<string[]> PathGlob { get; } = new("--path") { Description = "Keep paths matching a glob (* within a segment, ** across): /api/orders/*.", AllowMultipleArgumentsPerToken = true };

    public Option<string[]> ExcludePath { get; } = new("--exclude-path") { Description = "Drop paths matching a glob.", AllowMultipleArgumentsPerToken = true };

    public Option<string[]> Host { get; } = new("--host") { Description = "Keep these hosts (exact, or *.example.com).", AllowMultipleArgumentsPerToken = true };

    public Option<string?> Status { get; } = new("--status") { Description = "Keep statuses: 404, 2xx, 500-599, error (no response); comma-separated." };

    public Option<string?> Direction { get; } = new("--direction") { Description = "Keep inbound or outbound exchanges." };

    public Option<string[]> Service { get; } = new("--service") { Description = "Keep these services.", AllowMultipleArgumentsPerToken = true };

    public Option<double?> Sample { get; } = new("--sample") { Description = "Keep this fraction (0-1), whole traces at a time; deterministic with --seed." };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for --sample.", DefaultValueFactory = _ => 0 };

    /// <summary>Adds every filter option to a command.</summary>
    public void AddTo(Command command, bool includeDirection = true)
    {
        command.Options.Add(Method);
        command.Options.Add(PathGlob);
        command.Options.Add(ExcludePath);
        command.Options.Add(Host);
        command.Options.Add(Status);
        if (includeDirection)
        {
            command.Options.Add(Direction);
        }

        command.Options.Add(Service);
        command.Options.Add(Sample);
        command.Options.Add(Seed);
    }

    /// <summary>Validates the values (collecting every error) and builds the transforms, in order.</summary>
    public IReadOnlyList<IExchangeTransform> Build(ParseResult parse)
    {
        var errors = new List<string>();
        StatusMatcher? status = null;
        if (parse.GetValue(Status) is { } statusText)
        {
            status = StatusMatcher.TryParse(statusText, out var error);
            if (error is not null)
            {
                errors.Add("--status: " + error);
            }
        }

        Core.Model.Direction? direction = null;
        try
        {
            direction = OptionParsing.Direction(parse.GetValue(Direction));
        }
        catch (UsageException ex)
        {
            errors.Add(ex.Message);
        }

        var sample = parse.GetValue(Sample);
        if (sample is < 0 or > 1 || (sample is { } s && double.IsNaN(s)))
        {
            errors.Add($"--sample: {sample} is not a fraction between 0 and 1");
        }

        var methods = OptionParsing.SplitList(parse.GetValue(Method)).Select(m => m.ToUpperInvariant()).ToList();
        foreach (var method in methods.Where(m => !m.All(c => char.IsAsciiLetter(c) || c == '-')))
        {
            errors.Add($"--method: '{method}' is not an HTTP method");
        }

        if (errors.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine + "reprise: error: ", errors));
        }

        var filter = new ExchangeFilterOptions
        {
            Methods = methods,
            Paths = [.. OptionParsing.SplitList(parse.GetValue(PathGlob)).Select(Core.Transforms.PathGlob.Parse)],
            ExcludePaths = [.. OptionParsing.SplitList(parse.GetValue(ExcludePath)).Select(Core.Transforms.PathGlob.Parse)],
            Hosts = OptionParsing.SplitList(parse.GetValue(Host)),
            Status = status,
            Direction = direction,
            Services = OptionParsing.SplitList(parse.GetValue(Service)),
        };
        var transforms = new List<IExchangeTransform>();
        if (!filter.IsEmpty)
        {
            transforms.Add(new FilterTransform(filter));
        }

        if (sample is { } rate && rate < 1)
        {
            transforms.Add(new SampleTransform(rate, parse.GetValue(Seed)));
        }

        return transforms;
    }

}
