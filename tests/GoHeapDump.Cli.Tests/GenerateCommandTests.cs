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
        Assert.Equal(4000, counts[(int)RecordKind.Object]);
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
        var path = Path.Combine(_dir, $"{arch}-{seed}.dump");
        Assert.Equal(0, Run("generate", "--seed", $"{seed}", "--objects", "300", "--arch", arch, "--out", path).Exit);

        var report = HeapDumpValidator.ValidateFile(path, new ValidationOptions { Profile = ValidationProfile.Strict });

        Assert.True(report.Conforms, string.Join("\n", report.Diagnostics));
        Assert.Empty(report.Diagnostics);
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
