using Spectre.Console;

namespace GoHeapDump.Cli.Commands;

/// <summary>A Spectre console over one of the command's writers (ANSI only when it is the real terminal).</summary>
internal static class CliConsole
{
    public static IAnsiConsole Create(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output: one diagnostic per line, however long, for grep and CI logs.
            console.Profile.Width = 1000;
        }

        return console;
    }
}
