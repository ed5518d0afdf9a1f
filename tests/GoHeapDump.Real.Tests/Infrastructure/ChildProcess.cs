using System.Diagnostics;
using System.Text;

namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>A started program whose standard output is read as it runs (line by line) and whose stderr is collected.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private ChildProcess(Process process)
    {
        _process = process;
        // Drained concurrently so a chatty stderr cannot block the program while stdout is read.
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts <paramref name="program"/> with arguments (no shell), in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}"));
    }

    /// <summary>The program's standard output.</summary>
    public StreamReader Stdout => _process.StandardOutput;

    /// <summary>Reads the rest of stdout, waits for the exit, and returns the exit code and stderr.</summary>
    public (int ExitCode, string Stderr) Finish(TimeSpan timeout)
    {
        _process.StandardOutput.ReadToEnd();
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not finish within {timeout}");
        }

        return (_process.ExitCode, _stderr.Result);
    }

    /// <summary>Runs a program to completion and returns its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var p = Start(program, arguments, workingDirectory, environment);
        var stdout = p._process.StandardOutput.ReadToEndAsync();
        if (!p._process.WaitForExit(timeout))
        {
            p._process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        p._process.WaitForExit();
        return (p._process.ExitCode, stdout.Result, p._stderr.Result);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
