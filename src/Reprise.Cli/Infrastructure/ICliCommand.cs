using System.CommandLine;

namespace Reprise.Cli.Infrastructure;

/// <summary>One <c>reprise</c> sub-command: builds its System.CommandLine definition and action.</summary>
internal interface ICliCommand
{
    /// <summary>Creates the command with its options, help and action.</summary>
    Command Create();
}
