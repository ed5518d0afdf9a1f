using GoHeapDump.Testing;
namespace GoHeapDump.Robustness.Tests;

/// <summary>
/// goheapdump run with the .NET GC heap capped at 64 MiB (<c>DOTNET_GCHeapHardLimit</c>) on crafted hostile files
/// and on a moderately big generated dump: every run ends with exit code 0, 1 or 3 and a message, never an
/// out-of-memory crash (an unhandled exception, exit 134).
/// </summary>
public sealed class HeapLimitTests : IDisposable
{
    private static readonly Dictionary<string, string> Limit = new(StringComparer.Ordinal) { ["DOTNET_GCHeapHardLimit"] = "0x4000000" };

    private readonly string _directory = Directory.CreateTempSubdirectory("goheapdump-heaplimit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertClean(Cli.Result result, string what, params int[] allowed)
    {
        var detail = $"{what}: exit {result.ExitCode}\nstderr: {result.Stderr}\nstdout: {(result.Stdout.Length > 2000 ? result.Stdout[..2000] : result.Stdout)}";
        // A crash prints "Unhandled exception" and a stack trace (and exits 134 on Linux); a clean error is one line.
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", result.Stderr, StringComparison.Ordinal);
        Assert.True(allowed.Contains(result.ExitCode), detail);
    }

    [Fact]
    public void HugeStringLength_ValidateAndParse_CleanFormatError()
    {
        var file = Write("huge-string.dump", DumpBytes.WithHeader().U(6).U(0).U(8).U(0xc000000000).U(0xc004000000)
            .Raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40).Raw("amd64"u8.ToArray()).ToArray());
        var validate = Cli.Run(["validate", "--no-progress", file], Limit);
        AssertClean(validate, "validate", 1);
        Assert.Contains("S07", validate.Stdout, StringComparison.Ordinal);
        var parse = Cli.Run(["parse", file], Limit);
        AssertClean(parse, "parse", 1);
        Assert.Contains("\"rule\":\"S07\"", parse.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// One object whose field list runs through 16 MB to the end of the file: the fast reader holds the record (16 MB)
    /// and reports S07; the Kaitai parser's object tree for 8 million entries (~400 bytes each) cannot fit in 64 MiB:
    /// exit 3 with a message saying the record is too large, not a crash.
    /// </summary>
    [Fact]
    public void FieldListOf8MillionEntries_ValidateS07_ParseCleanlyTooLarge()
    {
        var b = DumpBytes.WithHeader().Params(ncpu: 4).U(1).U(0xc000000000).Bytes(new byte[8]);
        for (var i = 0; i < 8_000_000; i++)
        {
            b.U(1).U(8);
        }

        var file = Write("long-field-list.dump", b.ToArray());
        var validate = Cli.Run(["validate", "--no-progress", file], Limit);
        AssertClean(validate, "validate", 1, 3);
        var parse = Cli.Run(["parse", file], Limit);
        AssertClean(parse, "parse", 1, 3);
        if (parse.ExitCode == 3)
        {
            Assert.Contains("too large", parse.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// 3 million finalizer records (18 MB) would need ~144 MB of references for R12: the default memory cap (half the
    /// GC limit) stops the cross-record tables and the report says which rules went unchecked.
    /// </summary>
    [Fact]
    public void ThreeMillionFinalizers_Validate_MemoryCapNoteNotACrash()
    {
        var b = DumpBytes.WithHeader().Params(ncpu: 4);
        for (var i = 0UL; i < 3_000_000; i++)
        {
            b.U(7).U(0xc000000000 + (i * 16)).U(1).U(2).U(3).U(4);
        }

        var file = Write("finalizers.dump", b.MemStats().U(0).ToArray());
        var validate = Cli.Run(["validate", "--no-progress", file], Limit);
        AssertClean(validate, "validate", 0, 1);
        Assert.Contains("memory cap", validate.Stdout, StringComparison.Ordinal);
        Assert.Contains("R12", validate.Stdout, StringComparison.Ordinal);

        var capped = Cli.Run(["validate", "--no-progress", "--format", "json", "--max-memory", "1M", file]);
        AssertClean(capped, "validate --max-memory 1M", 0, 1);
        Assert.Contains("\"skipped_rules\"", capped.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedDumpOf300kObjects_GenerateValidateParse_UnderTheLimit()
    {
        var file = Path.Combine(_directory, "generated.dump");
        AssertClean(Cli.Run(["generate", "--seed", "4", "--objects", "300000", "--out", file], Limit), "generate", 0);
        Assert.True(new FileInfo(file).Length > 10_000_000);
        var validate = Cli.Run(["validate", "--no-progress", "--strict", file], Limit);
        AssertClean(validate, "validate", 0);
        Assert.DoesNotContain("memory cap", validate.Stdout, StringComparison.Ordinal);
        AssertClean(Cli.Run(["parse", file], Limit), "parse", 0);
    }

    /// <summary>100,000 finalizers need ~4.8 MB of references: each cap is reached and named in the note, in bytes.</summary>
    [Theory]
    [InlineData("1048576", "1,048,576")]
    [InlineData("512K", "524,288")]
    [InlineData("2M", "2,097,152")]
    [InlineData("3MiB", "3,145,728")]
    public void MaxMemory_Sizes_CapNamedInTheNote(string text, string bytes)
    {
        var b = DumpBytes.WithHeader().Params(ncpu: 4);
        for (var i = 0UL; i < 100_000; i++)
        {
            b.U(7).U(0xc000000000 + (i * 16)).U(1).U(2).U(3).U(4);
        }

        var file = Write("finalizers.dump", b.MemStats().U(0).ToArray());
        var result = Cli.Run(["validate", "--no-progress", "--max-memory", text, file]);
        AssertClean(result, "validate --max-memory " + text, 0, 1);
        Assert.Contains($"memory cap of {bytes} bytes", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxMemory_NotASize_UsageError()
    {
        var file = Write("tiny.dump", DumpBytes.WithHeader().Params(ncpu: 4).MemStats().U(0).ToArray());
        var result = Cli.Run(["validate", "--max-memory", "lots", file]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--max-memory", result.Stderr, StringComparison.Ordinal);
    }
}
