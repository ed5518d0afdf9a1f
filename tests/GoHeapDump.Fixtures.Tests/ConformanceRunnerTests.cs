using GoHeapDump.Cli.Commands;
using GoHeapDump.Fixtures;

namespace GoHeapDump.Fixtures.Tests;

/// <summary>
/// The runner for third-party parsers, proved on real parsers (the suite's two, and the JavaScript example
/// built from the same .ksy) and on deliberately broken ones.
/// </summary>
/// <remarks>
/// Every fixture goes through every parser and the runner's judgement; a process per fixture, though, would cost
/// mostly start-up (.NET's and node's, over 300 processes): the suite's parsers run their <c>parse</c> command in
/// this process and the JavaScript example all dumps in one node process (<c>parse-many.js</c>), while the
/// commands themselves, one process per dump as a third-party parser runs, are proved on <see cref="Sample"/>.
/// </remarks>
public sealed class ConformanceRunnerTests
{
    private static readonly string Goheapdump = $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "goheapdump.dll")}\"";
    private static readonly string JavaScriptDir = Path.Combine(Corpus.Directory, "parsers", "javascript");

    /// <summary>Name filters of the fixtures run as processes: an accepted dump, two rejected ones, a real dump of 1.27.</summary>
    private static readonly string[] Sample = ["valid/hand-minimal", "invalid/S05-", "real/gc-go1.27.3-linux-amd64/basic"];

    private static ConformanceOptions Options(string command, string? filter = null, IReadOnlySet<string>? known = null) =>
        new(command, Corpus.Directory, TimeSpan.FromSeconds(120), known ?? new HashSet<string>(), Math.Max(2, Environment.ProcessorCount), filter);

    private static ConformanceReport RunAll(string command, string? filter = null, IReadOnlySet<string>? known = null) =>
        ConformanceRunner.Run(Options(command, filter, known));

    private static void AssertAllPass(ConformanceReport report, int? cases = null)
    {
        var failures = report.Cases.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {report.Cases.Count} fixtures failed:\n{string.Join("\n", failures)}");
        Assert.Equal(cases ?? Corpus.Manifest.Fixtures.Count, report.Cases.Count);
        Assert.True(report.Ok);
    }

    /// <summary>The parser command as a process on each fixture of <see cref="Sample"/>.</summary>
    private static void AssertSamplePasses(string command)
    {
        foreach (var filter in Sample)
        {
            var expected = Corpus.Manifest.Fixtures.Count(e => e.Name.Contains(filter, StringComparison.Ordinal));
            Assert.True(expected > 0, $"no fixture matches {filter}");
            AssertAllPass(RunAll(command, filter), expected);
        }
    }

    /// <summary><c>goheapdump parse [--parser fast] -</c> on every fixture, run in this process with the dump as its stdin.</summary>
    private static ConformanceReport RunParseCommandInProcess(bool fast) =>
        ConformanceRunner.Run(Options($"goheapdump parse{(fast ? " --parser fast" : "")} - (in process)"), (_, dump) =>
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = ParseCommand.Run("-", fast, () => new MemoryStream(dump, writable: false), stdout, stderr);
            return ConformanceRunner.ProcessRun.Ended(exit, stdout.ToString(), stderr.ToString());
        });

    [Fact]
    public void KaitaiParser_ParseCommand_PassesEveryFixture() => AssertAllPass(RunParseCommandInProcess(fast: false));

    [Fact]
    public void FastReader_ParseCommand_PassesEveryFixture() => AssertAllPass(RunParseCommandInProcess(fast: true));

    [Theory]
    [InlineData("")]
    [InlineData(" --parser fast")]
    public void ParseCommand_AsProcess_PassesTheSample(string parser) => AssertSamplePasses($"{Goheapdump} parse{parser} -");

    [SkippableFact]
    public void JavaScriptExample_PassesEveryFixture()
    {
        SkipUnlessJavaScriptInstalled();
        var runs = RunJavaScriptOverTheCorpus();
        AssertAllPass(ConformanceRunner.Run(Options("node parse-many.js (one process, every fixture)"), (entry, _) => runs[entry.Name]));
    }

    [SkippableFact]
    public void JavaScriptExample_AsProcess_PassesTheSample()
    {
        SkipUnlessJavaScriptInstalled();
        AssertSamplePasses($"node \"{Path.Combine(JavaScriptDir, "parse.js")}\"");
    }

    private static void SkipUnlessJavaScriptInstalled()
    {
        Corpus.SkipUnlessInstalled(Which("node") is not null, "node is not installed");
        Corpus.SkipUnlessInstalled(Directory.Exists(Path.Combine(JavaScriptDir, "node_modules", "kaitai-struct")),
            "fixtures/parsers/javascript has no node_modules (run npm ci there)");
    }

    /// <summary>
    /// Every fixture through <c>parse-many.js</c>: what <c>node parse.js &lt; DUMP</c> exits with and prints, by fixture
    /// name. The fixtures are dealt to one node process per core (the JavaScript parser is the slowest of the readers).
    /// </summary>
    private static Dictionary<string, ConformanceRunner.ProcessRun> RunJavaScriptOverTheCorpus()
    {
        var entries = Corpus.Manifest.Fixtures;
        var processes = Math.Max(2, Environment.ProcessorCount);
        var shares = Enumerable.Range(0, processes).Select(p => entries.Where((_, i) => i % processes == p).ToList()).ToList();
        var runs = new Dictionary<string, ConformanceRunner.ProcessRun>(StringComparer.Ordinal);
        foreach (var share in shares.AsParallel().WithDegreeOfParallelism(processes).Select(RunParseMany).ToList())
        {
            foreach (var (name, run) in share)
            {
                runs.Add(name, run);
            }
        }

        return runs;
    }

    /// <summary>One node process of <c>parse-many.js</c> over <paramref name="entries"/>.</summary>
    private static Dictionary<string, ConformanceRunner.ProcessRun> RunParseMany(List<ManifestEntry> entries)
    {
        var start = new System.Diagnostics.ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new System.Text.UTF8Encoding(false),
        };
        start.ArgumentList.Add(Path.Combine(JavaScriptDir, "parse-many.js"));
        foreach (var e in entries)
        {
            start.ArgumentList.Add(Path.Combine(Corpus.Directory, e.Dump.Path));
        }

        using var node = System.Diagnostics.Process.Start(start)!;
        var err = node.StandardError.ReadToEndAsync();
        var runs = new Dictionary<string, ConformanceRunner.ProcessRun>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            // The message reads stderr only on failure: stderr ends when node does, which waits for this loop to drain stdout.
            if (node.StandardOutput.ReadLine() is not { } line)
            {
                node.WaitForExit();
                Assert.Fail($"parse-many.js stopped before {e.Name}: {err.Result}");
                return runs;
            }

            using var result = System.Text.Json.JsonDocument.Parse(line);
            var root = result.RootElement;
            runs[e.Name] = ConformanceRunner.ProcessRun.Ended(root.GetProperty("exit").GetInt32(),
                root.GetProperty("stdout").GetString()!, root.GetProperty("stderr").GetString()!);
        }

        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"parse-many.js exit {node.ExitCode}: {err.Result}");
        return runs;
    }

    /// <summary>The Go reader of fixtures/producers/go/dumpjsonl, written independently from spec/FORMAT.md.</summary>
    [SkippableFact]
    public void GoDumpjsonl_AsProcess_PassesEveryFixture()
    {
        Corpus.SkipUnlessInstalled(Which("go") is not null, "go is not installed");
        var bin = Directory.CreateTempSubdirectory("dumpjsonl-");
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("go")
            {
                WorkingDirectory = Path.Combine(Corpus.Directory, "producers", "go"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[] { "build", "-o", Path.Combine(bin.FullName, "dumpjsonl"), "./dumpjsonl" })
            {
                start.ArgumentList.Add(arg);
            }

            using (var build = System.Diagnostics.Process.Start(start)!)
            {
                var err = build.StandardError.ReadToEndAsync();
                build.StandardOutput.ReadToEnd();
                build.WaitForExit();
                Assert.True(build.ExitCode == 0, $"go build ./dumpjsonl failed: {err.Result}");
            }

            AssertAllPass(RunAll($"\"{Path.Combine(bin.FullName, "dumpjsonl")}\" -"));
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }

    [Fact]
    public void BrokenParser_MisrendersANumber_FailsWithAReadableTable()
    {
        var output = new StringWriter();
        var exit = ConformanceCommand.Run($"{Goheapdump} parse - | sed 's/\"ncpu\":\"4\"/\"ncpu\":\"5\"/'", 60, null, Corpus.Directory, 2,
            "valid/hand-minimal", all: false, output, TextWriter.Null);
        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Contains("valid/hand-minimal", text, StringComparison.Ordinal);
        Assert.Contains("FAIL", text, StringComparison.Ordinal);
        Assert.Contains("line 2 differs", text, StringComparison.Ordinal);
        Assert.Contains("\"ncpu\":\"5\"", text, StringComparison.Ordinal);
        Assert.Contains("0 passed, 1 failed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenParser_DropsARecord_FailsAtThatLine()
    {
        var report = RunAll($"{Goheapdump} parse - | sed '/\"kind\":\"mem_stats\"/d'", "valid/hand-minimal");
        var c = Assert.Single(report.Cases);
        Assert.False(c.Passed);
        Assert.StartsWith("line 3 differs", c.Detail, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"eof\"", c.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenParser_DropsARecord_DiffShowsTheMissingLine()
    {
        var report = RunAll($"{Goheapdump} parse - | sed '/\"kind\":\"mem_stats\"/d'", "valid/hand-minimal");
        var diff = Assert.Single(report.Cases).Diff;
        Assert.NotNull(diff);
        var changed = diff.Split('\n').Where(l => l.TrimStart().StartsWith('-') || l.TrimStart().StartsWith('+')).ToList();
        var line = Assert.Single(changed);
        Assert.StartsWith("-", line.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"mem_stats\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void PassingParser_HasNoDiff() =>
        Assert.Null(Assert.Single(RunAll($"{Goheapdump} parse -", "valid/hand-minimal").Cases).Diff);

    [Fact]
    public void WorkingDirectory_RelativeParserCommand_RunsThere()
    {
        var dir = Directory.CreateTempSubdirectory("parser-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "parser.sh"), $"exec {Goheapdump} parse -\n");
            CaseResult Run(string? workingDirectory) => Assert.Single(ConformanceRunner.Run(new ConformanceOptions("sh parser.sh", Corpus.Directory,
                TimeSpan.FromSeconds(120), new HashSet<string>(), 1, "valid/hand-minimal", workingDirectory)).Cases);
            Assert.True(Run(dir.FullName).Passed);
            Assert.False(Run(null).Passed);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void BrokenParser_AcceptsEverything_FailsOnEveryReject()
    {
        var report = RunAll($"{Goheapdump} parse -; exit 0", "invalid/S05-");
        Assert.Equal(2, report.Cases.Count);
        Assert.All(report.Cases, c => Assert.StartsWith("exit 0, expected 1 (reject)", c.Detail, StringComparison.Ordinal));
        Assert.False(report.Ok);
    }

    [Fact]
    public void BrokenParser_WrongErrorOffset_Fails()
    {
        var report = RunAll($"{Goheapdump} parse - | sed 's/\"offset\":\"47\"/\"offset\":\"46\"/'; exit 1", "invalid/S05-unknown-tag-18");
        var c = Assert.Single(report.Cases);
        Assert.False(c.Passed);
        Assert.Contains("line 3 differs", c.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void KnownFailures_ListedAndFailing_RunPasses()
    {
        var known = new HashSet<string> { "valid/hand-minimal" };
        var report = RunAll("cat > /dev/null; echo nonsense; exit 3", "valid/hand-minimal", known);
        Assert.Equal("known failure", Assert.Single(report.Cases).Verdict);
        Assert.True(report.Ok);
    }

    [Fact]
    public void KnownFailures_ListedButPassing_RunFails()
    {
        var known = new HashSet<string> { "valid/hand-minimal" };
        var report = RunAll($"{Goheapdump} parse -", "valid/hand-minimal", known);
        Assert.StartsWith("FIXED", Assert.Single(report.Cases).Verdict, StringComparison.Ordinal);
        Assert.False(report.Ok);
    }

    [Fact]
    public void KnownFailures_FileWithCommentsAndAnUnknownName_UnknownNameFailsTheRun()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# our parser's gaps\nvalid/hand-minimal   # not yet\n\ninvalid/no-such-fixture\n");
            var known = ConformanceRunner.ReadKnownFailures(file);
            Assert.Equal(["invalid/no-such-fixture", "valid/hand-minimal"], known.Order(StringComparer.Ordinal));
            var output = new StringWriter();
            var exit = ConformanceCommand.Run("cat > /dev/null; exit 1", 60, file, Corpus.Directory, 1, "valid/hand-minimal", all: true, output, TextWriter.Null);
            Assert.Equal(1, exit);
            Assert.Contains("invalid/no-such-fixture, which is not a fixture", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Timeout_SlowParser_IsKilledAndFails()
    {
        var report = ConformanceRunner.Run(new ConformanceOptions("sleep 30", Corpus.Directory, TimeSpan.FromSeconds(0.5),
            new HashSet<string>(), 1, "valid/hand-minimal"));
        var c = Assert.Single(report.Cases);
        Assert.StartsWith("timed out after 0.5 s", c.Detail, StringComparison.Ordinal);
        Assert.True(c.Elapsed < TimeSpan.FromSeconds(20));
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
