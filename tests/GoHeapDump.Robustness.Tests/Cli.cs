using System.Diagnostics;

namespace GoHeapDump.Robustness.Tests;

/// <summary>Runs the goheapdump command (goheapdump.dll in this project's output) as a child process.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "goheapdump.dll");

    /// <summary>Starts <c>dotnet goheapdump.dll ARGS</c>, with <paramref name="environment"/> added.</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // A test run's own settings (a heap limit of the test host, for one) must not leak into the child.
        start.Environment.Remove("DOTNET_GCHeapHardLimit");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs to completion; standard output beyond 1 MiB is read and dropped (parse prints whole dumps).</summary>
    public static Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 300)
    {
        using var process = Start(args, environment);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = Task.Run(() =>
        {
            var buffer = new char[1 << 16];
            var kept = new System.Text.StringBuilder();
            int n;
            while ((n = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (kept.Length < (1 << 20))
                {
                    kept.Append(buffer, 0, n);
                }
            }

            return kept.ToString();
        });
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"goheapdump {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
