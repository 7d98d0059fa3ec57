using Reprise.Replay.Http;
using Xunit;

namespace Reprise.Replay.Tests.Http;

public sealed class CommandTokenSourceTests
{
    [Fact]
    public async Task UnsetVariables_AreNotInheritedByTheCommand_OthersAre()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Name = "REPRISE_TEST_TOKEN_ENV_8F3A";
        Environment.SetEnvironmentVariable(Name, "inherited");
        try
        {
            var command = $"echo ${{{Name}:-absent}}";
            using var inherits = new CommandTokenSource(command);
            using var scrubbed = new CommandTokenSource(command, unsetVariables: [Name]);

            Assert.Equal("inherited", await inherits.GetAsync(ct));
            Assert.Equal("absent", await scrubbed.GetAsync(ct));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }

    [Fact]
    public async Task BearerPrefix_IsStripped_AndAFailingCommandSaysWhy()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bearer = new CommandTokenSource("echo 'Bearer abc.def'");
        Assert.Equal("abc.def", await bearer.GetAsync(ct));

        using var failing = new CommandTokenSource("echo nope >&2; exit 3");
        var error = await Assert.ThrowsAsync<TokenCommandException>(async () => await failing.GetAsync(ct));
        Assert.Equal("--token-command: exited with 3: nope", error.Message);
    }
}
