using GoHeapDump.Real.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// <c>goheapdump parse</c> agrees with an independent reader on every record: dumpjsonl, written in Go from
/// spec/FORMAT.md (fixtures/producers/go/dumpjsonl), prints the canonical JSONL of the same file, and the two renderings
/// are compared line by line, semantically. On the committed real dumps, and on cut and extended copies of them, where
/// both must stop with the same error line.
/// </summary>
/// <remarks>
/// <c>goheapdump parse</c> runs as a process, as a user runs it, on <see cref="AsProcess"/> (a gc and a gccgo dump, and
/// the damaged copies with a byte appended); on the other dumps and cuts the same command line runs in this process
/// (<see cref="Readers.GoHeapDumpParseInProcess"/>), since some seventy .NET start-ups cost more than the parsing.
/// </remarks>
public sealed class IndependentReaderTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _dir = Directory.CreateTempSubdirectory("goheapdump-real-").FullName;

    public static TheoryData<string> Dumps => RealDumpCatalog.Ids;

    /// <summary>The committed dumps on which goheapdump runs as a process (every other one: in this process).</summary>
    private static readonly HashSet<string> AsProcess = new(StringComparer.Ordinal) { "gc-go1.27.3-linux-amd64/basic", "gccgo-12.2.0-linux-amd64/basic" };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Decompress(string id)
    {
        var path = Path.Combine(_dir, id.Replace('/', '_') + ".dump");
        using var input = RealDumpCatalog.Get(id).OpenDecompressed();
        using (var file = File.Create(path))
        {
            input.CopyTo(file);
        }

        return path;
    }

    [SkippableTheory]
    [MemberData(nameof(Dumps))]
    public void CommittedDump_GoheapdumpParse_AgreesWithGoReaderOnEveryLine(string id)
    {
        Readers.RequireDumpJsonl();
        var path = Decompress(id);

        var asProcess = AsProcess.Contains(id);
        var (comparison, goExit, cliExit, stderr) = JsonlAgreement.CompareReaders(path, Timeout, asProcess);

        output.WriteLine($"{id} (goheapdump {(asProcess ? "as a process" : "in process")}): {comparison}");
        RunSummary.Record("committed", id, "agreement", comparison.Lines, comparison.Differences);
        Assert.True(comparison.Agree, $"{id}: {comparison}");
        Assert.True(goExit == 0 && cliExit == 0, $"exit codes: dumpjsonl {goExit}, goheapdump parse {cliExit}\n{stderr}");
    }

    public static TheoryData<string, string> Damaged => new()
    {
        // Cuts: inside the header parts, right after the header (no records: S08), inside the params record, at a
        // seeded spread of offsets through the records (mostly inside contents: S07 at the body's start), one byte short.
        { "gc-go1.19.8-linux-amd64/basic", "cut:3,4,10,16,17,40,1000,54321,123457,333333,500001,688527" },
        { "gc-go1.19.8-linux-mips/basic", "cut:25,77777,250000,507953" },
        { "gccgo-12.2.0-linux-amd64/basic", "cut:16,4321,300000,618733" },
        // A byte after the EOF record: S09 where the EOF line would be.
        { "gc-go1.19.8-linux-s390x/basic", "append:00" },
        { "gccgo-12.2.0-linux-amd64/empty", "append:0102" },
    };

    [SkippableTheory]
    [MemberData(nameof(Damaged))]
    public void DamagedCommittedDump_BothReaders_PrintTheSameRecordsAndErrorLine(string id, string damage)
    {
        Readers.RequireDumpJsonl();
        var whole = File.ReadAllBytes(Decompress(id));
        var (how, what) = (damage.Split(':')[0], damage.Split(':')[1]);
        var variants = how == "cut"
            ? what.Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).Select(n => ($"first {n} bytes", whole[..n])).ToList()
            : [($"{what} appended", [.. whole, .. Convert.FromHexString(what)])];

        foreach (var (label, bytes) in variants)
        {
            var path = Path.Combine(_dir, "damaged.dump");
            File.WriteAllBytes(path, bytes);

            // The appended bytes as a process: the exit code 1 of a real process on a damaged dump.
            var (comparison, goExit, cliExit, stderr) = JsonlAgreement.CompareReaders(path, Timeout, cliAsProcess: how == "append");

            output.WriteLine($"{id}, {label}: {comparison}; {stderr.Trim()}");
            Assert.True(comparison.Agree, $"{id}, {label}: {comparison}");
            Assert.True(goExit == 1 && cliExit == 1, $"{id}, {label}: exit codes dumpjsonl {goExit}, goheapdump parse {cliExit} (want 1, 1)\n{stderr}");
        }
    }

    [Fact]
    public void AsProcess_NamesCommittedDumps() => Assert.All(AsProcess, id => Assert.Contains(id, RealDumpCatalog.All.Select(d => d.Id)));

    [Fact]
    public void Compare_KeyOrderAndEscapes_AreNotDifferences()
    {
        var go = new StringReader("{\"kind\":\"type\",\"name\":\"a/b\",\"size\":\"8\"}\n");
        var cs = new StringReader("{\"size\":\"8\",\"kind\":\"type\",\"name\":\"a\\/b\"}\n");

        Assert.True(JsonlAgreement.Compare(go, "go", cs, "cs").Agree);
    }

    [Theory]
    [InlineData("{\"kind\":\"itab\",\"address\":\"1\"}", "{\"kind\":\"itab\",\"address\":\"2\"}")]  // a value
    [InlineData("{\"kind\":\"itab\",\"address\":\"1\"}", "{\"kind\":\"itab\",\"address\":1}")]     // a string vs a number
    [InlineData("{\"kind\":\"itab\",\"address\":\"1\"}", "{\"kind\":\"itab\"}")]                   // a missing key
    [InlineData("{\"fields\":[[\"ptr\",\"0\"]]}", "{\"fields\":[[\"ptr\",\"0\"],[\"ptr\",\"8\"]]}")] // an array's length
    [InlineData("{\"kind\":\"eof\"}", "")]                                                          // a missing line
    public void Compare_DifferentLines_AreReported(string go, string cs)
    {
        var result = JsonlAgreement.Compare(new StringReader("{\"kind\":\"header\"}\n" + go + "\n"), "go",
            new StringReader("{\"kind\":\"header\"}\n" + (cs.Length > 0 ? cs + "\n" : "")), "cs");

        Assert.False(result.Agree);
        Assert.Equal(1, result.Differences);
        Assert.Contains("line 2", result.FirstDifferences[0], StringComparison.Ordinal);
    }
}
