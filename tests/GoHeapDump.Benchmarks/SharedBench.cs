using System.Diagnostics;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// The Go tools every benchmark compares against: <c>shared/bench/yardstick</c> (a Go reader) and
/// <c>shared/bench/gogen</c> (builds big real heaps and times the runtime's own writer), found beside or above the
/// repository, built from a copy (the shared folder is read-only to us) and run as child processes.
/// </summary>
internal static class SharedBench
{
    /// <summary>The shared/bench folder above the benchmark binaries (a worktree sits deeper than a clone), or null.</summary>
    public static string? Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared", "bench");
            if (File.Exists(Path.Combine(candidate, "yardstick", "main.go")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The source folder of one tool (<c>yardstick</c>, <c>gogen</c>); throws when shared/bench is missing.</summary>
    public static string Source(string tool) =>
        Path.Combine(Find() ?? throw new InvalidOperationException("no shared/bench/yardstick above " + AppContext.BaseDirectory), tool);

    /// <summary>Copies <paramref name="source"/> into <paramref name="directory"/> and builds it there; returns the binary.</summary>
    public static string Build(string source, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var f in Directory.GetFiles(source))
        {
            File.Copy(f, Path.Combine(directory, Path.GetFileName(f)), overwrite: true);
        }

        var binary = Path.Combine(directory, Path.GetFileName(Path.TrimEndingDirectorySeparator(source)));
        Run("go", directory, "build", "-o", binary, ".");
        return binary;
    }

    /// <summary>Runs a program to completion (its output discarded); throws on a non-zero exit.</summary>
    public static void Run(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}");
        }
    }
}
