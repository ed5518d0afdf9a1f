using GoHeapDump.Reference;
using GoHeapDump.Kaitai;
using GoHeapDump.Runtime;
using GoHeapDump.Validation;

namespace GoHeapDump.Cli.Tests;

/// <summary>
/// <c>goheapdump generate</c>: every architecture's output parses to EOF with the Kaitai parser (independent of
/// the writer), has about the requested object records, and the same arguments give the same bytes.
/// </summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("goheapdump-generate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = GoHeapDumpCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static TheoryData<string> Architectures() => [.. GoArchitecture.Names];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Generate_EveryArch_ParsesToEofWithKaitai(string arch)
    {
        var path = Path.Combine(_dir, $"{arch}.dump");
        var (exit, stdout, stderr) = Run("generate", "--seed", "17", "--objects", "4000", "--arch", arch, "--out", path);
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains($"{arch}, seed 17, 4000 objects", stdout, StringComparison.Ordinal);

        var counts = new int[HeapDumpFormat.MaxRecordTag + 1];
        ParamsRecord? parameters = null;
        using (var reader = KaitaiHeapDumpReader.Open(path))
        {
            Assert.Equal(HeaderVersion.Go17, reader.Version);
            HeapDumpRecord? last = null;
            while (reader.Read() is { } record)
            {
                counts[(int)record.Kind]++;
                parameters ??= record as ParamsRecord;
                last = record;
            }

            Assert.IsType<EofRecord>(last);
            Assert.Equal(new FileInfo(path).Length, reader.Position);
        }

        var platform = GoArchitecture.Get(arch);
        Assert.NotNull(parameters);
        Assert.Equal(arch, parameters.Arch?.ToString());
        Assert.Equal((ulong)platform.PtrSize, parameters.PtrSize);
        Assert.Equal(platform.BigEndian, parameters.BigEndian);
        // The 4,000 objects the state holds; the default release (1.22 and later) also dumps the slots over the heap bits
        // in small spans' tails, which the allocator never hands out.
        Assert.InRange(counts[(int)RecordKind.Object], 4000, 4000 * 11 / 10);
        foreach (var kind in new[] { RecordKind.Type, RecordKind.Itab, RecordKind.Goroutine, RecordKind.StackFrame, RecordKind.OsThread, RecordKind.Finalizer, RecordKind.QueuedFinalizer, RecordKind.Defer, RecordKind.Panic, RecordKind.MemProf, RecordKind.AllocSample })
        {
            Assert.True(counts[(int)kind] > 0, $"no {kind.Name()} record");
        }

        Assert.Equal(0, counts[(int)RecordKind.OtherRoot]);
    }

    public static TheoryData<string, int> ArchitecturesAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var arch in GoArchitecture.Names)
        {
            foreach (var seed in new[] { 1, 2, 3 })
            {
                data.Add(arch, seed);
            }
        }

        return data;
    }

    // The builder models a runtime, so its dumps must pass everything the runtime's algorithm guarantees.
    // Seeds 1-3 once gave goroutines an M with no OS-thread record (R13).
    [Theory]
    [MemberData(nameof(ArchitecturesAndSeeds))]
    public void Generate_EveryArchAndSeed_ValidatesCleanUnderStrictProfile(string arch, int seed)
    {
        // Few objects in big spans too: specials and queued finalizers must still land on allocated slots (R11, R12).
        foreach (var objects in new[] { 20, 300 })
        {
            var path = Path.Combine(_dir, $"{arch}-{seed}-{objects}.dump");
            Assert.Equal(0, Run("generate", "--seed", $"{seed}", "--objects", $"{objects}", "--arch", arch, "--out", path).Exit);

            var report = HeapDumpValidator.ValidateFile(path, new ValidationOptions { Profile = ValidationProfile.Strict });

            Assert.True(report.Conforms, $"{objects} objects: " + string.Join("\n", report.Diagnostics));
            Assert.Empty(report.Diagnostics);
        }
    }

    public static TheoryData<string, string> ReleasesAndArchitectures()
    {
        var data = new TheoryData<string, string>();
        foreach (var release in StateBuilder.Releases)
        {
            foreach (var arch in new[] { "amd64", "arm", release.IsAtLeast(1, 7) ? "s390x" : "arm64" })
            {
                data.Add($"{release.Major}.{release.Minor}", arch);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReleasesAndArchitectures))]
    public void Generate_EveryRelease_DeterministicHeaderOfTheReleaseAndStrictClean(string go, string arch)
    {
        var a = Path.Combine(_dir, "a.dump");
        var b = Path.Combine(_dir, "b.dump");
        Assert.Equal(0, Run("generate", "--seed", "11", "--objects", "1500", "--arch", arch, "--go", go, "--out", a).Exit);
        Assert.Equal(0, Run("generate", "--seed", "11", "--objects", "1500", "--arch", arch, "--go", go, "--out", b).Exit);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));

        // The header and params the release writes, read by the Kaitai parser (which shares nothing with the writer).
        var minor = int.Parse(go.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        using (var reader = KaitaiHeapDumpReader.Open(a))
        {
            Assert.Equal(minor switch { 5 => HeaderVersion.Go15, 6 => HeaderVersion.Go16, _ => HeaderVersion.Go17 }, reader.Version);
            var parameters = Assert.IsType<ParamsRecord>(reader.Read());
            Assert.Equal(minor < 7, parameters.TheChar is not null);
            Assert.Equal(minor < 17 ? "" : $"go{go}.", minor < 17 ? parameters.VersionInfo.ToString() : parameters.VersionInfo.ToString()[..(go.Length + 3)]);
            while (reader.Read() is { } record)
            {
                Assert.NotEqual(RecordKind.OtherRoot, record.Kind);
            }

            Assert.Equal(new FileInfo(a).Length, reader.Position);
        }

        var report = HeapDumpValidator.ValidateFile(a, new ValidationOptions { Profile = ValidationProfile.Strict });
        Assert.True(report.Conforms && report.Diagnostics.Count == 0, $"go{go} {arch}: " + string.Join("\n", report.Diagnostics.Take(5)));
    }

    [Theory]
    [InlineData("1.4")]
    [InlineData("1.28")]
    [InlineData("2.0")]
    [InlineData("go1.22rc1")]
    [InlineData("latest")]
    public void Generate_UnknownRelease_UsageError(string go)
    {
        var (exit, _, stderr) = Run("generate", "--seed", "1", "--go", go, "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, exit);
        Assert.Contains(go, stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Generate_ArchitectureTheReleaseDidNotHave_UsageError()
    {
        // go1.5 named architectures by thechar; s390x came with 1.7.
        var (exit, _, stderr) = Run("generate", "--seed", "1", "--go", "1.5", "--arch", "s390x", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, exit);
        Assert.Contains("s390x", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Generate_SameArgumentsTwice_ByteIdenticalFiles()
    {
        var a = Path.Combine(_dir, "a.dump");
        var b = Path.Combine(_dir, "b.dump");
        Assert.Equal(0, Run("generate", "--seed", "5", "--objects", "20000", "--arch", "arm64", "--out", a).Exit);
        Assert.Equal(0, Run("generate", "--seed", "5", "--objects", "20000", "--arch", "arm64", "--out", b).Exit);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Generate_ExistingFile_ReplacedWithoutTemporaries()
    {
        var path = Path.Combine(_dir, "out.dump");
        File.WriteAllText(path, "old");
        Assert.Equal(0, Run("generate", "--seed", "1", "--objects", "10", "--out", path).Exit);
        Assert.NotEqual("old", File.ReadAllText(path));
        Assert.Equal(["out.dump"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Generate_UnknownArch_UsageError()
    {
        var (exit, _, stderr) = Run("generate", "--seed", "1", "--arch", "vax", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, exit);
        Assert.Contains("vax", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Generate_NegativeObjects_UsageError() =>
        Assert.Equal(2, Run("generate", "--seed", "1", "--objects", "-1", "--out", Path.Combine(_dir, "x")).Exit);

    [Fact]
    public void Generate_MissingSeed_UsageError() =>
        Assert.Equal(2, Run("generate", "--out", Path.Combine(_dir, "x")).Exit);

    [Fact]
    public void Generate_DirectoryMissing_IoErrorAndNoFile()
    {
        var path = Path.Combine(_dir, "missing", "out.dump");
        var (exit, _, stderr) = Run("generate", "--seed", "1", "--objects", "10", "--out", path);
        Assert.Equal(3, exit);
        Assert.Contains("cannot write", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "missing")));
    }
}
