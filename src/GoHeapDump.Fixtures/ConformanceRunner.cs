using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GoHeapDump.Fixtures;

/// <summary>Options of a conformance run.</summary>
/// <param name="Command">The parser under test, run through <c>/bin/sh -c</c>: the dump on stdin, canonical JSONL on stdout, exit 0 accept / 1 reject.</param>
/// <param name="FixturesDir">The corpus (a fixtures/ folder with manifest.json).</param>
/// <param name="Timeout">Per fixture.</param>
/// <param name="KnownFailures">Fixture names expected to fail (from a known-failures file).</param>
/// <param name="Jobs">Fixtures run at once.</param>
/// <param name="Filter">Only fixtures whose name contains this text.</param>
/// <param name="WorkingDirectory">Where the parser command runs; null: the current directory.</param>
public sealed record ConformanceOptions(
    string Command,
    string FixturesDir,
    TimeSpan Timeout,
    IReadOnlySet<string> KnownFailures,
    int Jobs = 1,
    string? Filter = null,
    string? WorkingDirectory = null);

/// <summary>One fixture's result.</summary>
/// <param name="Name">The fixture.</param>
/// <param name="Expected">What the parser had to do (accept, or reject with a rule at an offset).</param>
/// <param name="Passed">The parser's output and exit status were right.</param>
/// <param name="Detail">Why it failed (or "ok").</param>
/// <param name="Listed">The fixture is in the known-failures list.</param>
/// <param name="Elapsed">Wall-clock time of the parser.</param>
public sealed record CaseResult(string Name, string Expected, bool Passed, string Detail, bool Listed, TimeSpan Elapsed)
{
    /// <summary>When the parser's JSONL differs from a fixture's expected JSONL file: a line diff of the two
    /// (normalized lines; "-" expected, "+" the parser's); null otherwise.</summary>
    public string? Diff { get; init; }

    /// <summary>Listed and failing: tolerated. Not listed and passing: fine. Anything else fails the run.</summary>
    public bool Ok => Passed != Listed;

    /// <summary>Short verdict for a table: pass, FAIL, known failure, FIXED (listed but now passing).</summary>
    public string Verdict => (Passed, Listed) switch
    {
        (true, false) => "pass",
        (false, false) => "FAIL",
        (false, true) => "known failure",
        _ => "FIXED: remove from known failures",
    };
}

/// <summary>The result of a run.</summary>
public sealed record ConformanceReport(string SuiteVersion, string Command, IReadOnlyList<CaseResult> Cases, IReadOnlyList<string> UnknownListedNames)
{
    /// <summary>Every case is ok and the known-failures list names only fixtures that exist.</summary>
    public bool Ok => Cases.All(c => c.Ok) && UnknownListedNames.Count == 0;
}

/// <summary>
/// Runs a third-party parser over the corpus, in the spirit of toml-test: once per fixture, the dump on its
/// stdin, and compares its stdout (canonical JSONL, compared semantically) and exit status with the manifest.
/// </summary>
public static class ConformanceRunner
{
    /// <summary>Reads a known-failures file: one fixture name per line; '#' starts a comment.</summary>
    public static HashSet<string> ReadKnownFailures(string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length > 0)
            {
                names.Add(line);
            }
        }

        return names;
    }

    /// <summary>Runs the parser over every fixture of the manifest (or those matching the filter).</summary>
    public static ConformanceReport Run(ConformanceOptions options, Action<CaseResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Run(options, (_, dump) => Execute(options.Command, dump, options.Timeout, options.WorkingDirectory), progress);
    }

    /// <summary>
    /// The same run and the same judgement with another way of running the parser on a dump: the suite's tests run
    /// its own parsers in process, or many dumps in one process, where a process per fixture would only measure
    /// start-up (<see cref="ConformanceOptions.Command"/> then just names the parser in the report).
    /// </summary>
    internal static ConformanceReport Run(ConformanceOptions options, Func<ManifestEntry, byte[], ProcessRun> execute, Action<CaseResult>? progress = null)
    {
        var manifest = Manifest.Parse(File.ReadAllBytes(Path.Combine(options.FixturesDir, CorpusBuilder.ManifestFileName)));
        var entries = manifest.Fixtures
            .Where(e => options.Filter is null || e.Name.Contains(options.Filter, StringComparison.Ordinal))
            .ToList();
        var results = new CaseResult[entries.Count];
        var gate = new object();
        Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs) }, i =>
        {
            var result = RunOne(options, entries[i], execute);
            results[i] = result;
            lock (gate)
            {
                progress?.Invoke(result);
            }
        });
        var names = manifest.Fixtures.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = options.KnownFailures.Where(n => !names.Contains(n)).Order(StringComparer.Ordinal).ToList();
        return new ConformanceReport(manifest.SuiteVersion, options.Command, results, unknown);
    }

    private static CaseResult RunOne(ConformanceOptions options, ManifestEntry entry, Func<ManifestEntry, byte[], ProcessRun> execute)
    {
        var expected = Manifest.Summarize(entry.Expect with { Diagnostics = [] });
        var listed = options.KnownFailures.Contains(entry.Name);
        var dumpBytes = File.ReadAllBytes(Path.Combine(options.FixturesDir, entry.Dump.Path));
        if (entry.Gzip)
        {
            dumpBytes = CorpusBuilder.Gunzip(dumpBytes);
        }

        var clock = Stopwatch.StartNew();
        var run = execute(entry, dumpBytes);
        clock.Stop();
        string? failure;
        if (run.TimedOut)
        {
            failure = string.Create(CultureInfo.InvariantCulture, $"timed out after {options.Timeout.TotalSeconds:0.#} s");
        }
        else
        {
            failure = Judge(options.FixturesDir, entry, run);
        }

        return new CaseResult(entry.Name, expected, failure is null, failure ?? "ok", listed, clock.Elapsed)
        {
            Diff = failure is null || run.TimedOut ? null : DiffWithExpected(options.FixturesDir, entry, run.Stdout),
        };
    }

    /// <summary>The line diff of the expected JSONL file and the parser's output, normalized line by line (a line that
    /// is not JSON stays as written); null when the fixture pins only a hash or the two agree.</summary>
    private static string? DiffWithExpected(string fixturesDir, ManifestEntry entry, string stdout)
    {
        if (entry.Jsonl is not { } file)
        {
            return null;
        }

        static string Normalized(IEnumerable<string> lines) =>
            string.Join('\n', lines.Select(l => JsonlText.TryNormalize(l) ?? l)) + "\n";
        var expected = Normalized(JsonlText.Lines(File.ReadAllText(Path.Combine(fixturesDir, file.Path), Encoding.UTF8)));
        var actual = Normalized(JsonlText.Lines(stdout));
        return expected == actual ? null : TextDiff.Render(expected, actual, indent: "  ");
    }

    /// <summary>Null when the parser's exit status and output are right; otherwise why not.</summary>
    internal static string? Judge(string fixturesDir, ManifestEntry entry, ProcessRun run)
    {
        var wantExit = entry.Expect.ParserAccepts ? 0 : 1;
        var lines = JsonlText.Lines(run.Stdout);
        string? exitProblem = run.ExitCode == wantExit
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"exit {run.ExitCode}, expected {wantExit} ({(wantExit == 0 ? "accept" : "reject")})")
              + (run.StderrTail.Length > 0 ? $"; stderr: {run.StderrTail}" : "");

        string? outputProblem;
        if (entry.Jsonl is { } file)
        {
            var expectedLines = JsonlText.Lines(File.ReadAllText(Path.Combine(fixturesDir, file.Path), Encoding.UTF8));
            outputProblem = JsonlText.FirstDifference(expectedLines, lines)?.ToString();
        }
        else
        {
            outputProblem = CompareToHash(entry, lines);
        }

        return (exitProblem, outputProblem) switch
        {
            (null, null) => null,
            (null, { } o) => o,
            ({ } e, null) => e,
            var (e, o) => e + "; " + o,
        };
    }

    private static string? CompareToHash(ManifestEntry entry, List<string> lines)
    {
        string actual;
        try
        {
            actual = JsonlText.NormalizedSha256(lines);
        }
        catch (System.Text.Json.JsonException e)
        {
            return $"output is not JSON Lines: {e.Message}";
        }

        if (actual == entry.JsonlNormalizedSha256 && lines.Count == entry.JsonlLines)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"output ({lines.Count} lines) differs from the pinned rendering ({entry.JsonlLines} lines, normalized SHA-256 {entry.JsonlNormalizedSha256[..12]}…); compare with `goheapdump parse` on the decompressed {entry.Dump.Path}");
    }

    /// <summary>What a parser process did.</summary>
    internal sealed record ProcessRun(int ExitCode, string Stdout, string StderrTail, bool TimedOut)
    {
        /// <summary>A run that ended by itself, keeping the last line of its standard error (clipped) for the report.</summary>
        public static ProcessRun Ended(int exitCode, string stdout, string stderr)
        {
            var err = stderr.Trim();
            var tail = err.Length == 0 ? "" : JsonlDifference.Clip(err.Split('\n')[^1].Trim(), 200);
            return new ProcessRun(exitCode, stdout, tail, TimedOut: false);
        }
    }

    /// <summary>Runs <c>/bin/sh -c command</c> with <paramref name="stdin"/> as its input.</summary>
    internal static ProcessRun Execute(string command, byte[] stdin, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start /bin/sh -c {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var feed = Task.Run(() =>
        {
            try
            {
                process.StandardInput.BaseStream.Write(stdin);
                process.StandardInput.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The parser stopped reading (it rejected the dump early, or was killed): not an error of ours.
            }
        });
        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended between the timeout and the kill.
            }

            process.WaitForExit();
            feed.Wait(TimeSpan.FromSeconds(5));
            return new ProcessRun(-1, "", "", TimedOut: true);
        }

        process.WaitForExit();
        feed.Wait();
        return ProcessRun.Ended(process.ExitCode, stdout.Result, stderr.Result);
    }
}
