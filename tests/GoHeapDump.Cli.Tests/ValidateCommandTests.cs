using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using GoHeapDump.Cli.Commands;
using GoHeapDump.Testing;
using GoHeapDump.Validation;

namespace GoHeapDump.Cli.Tests;

/// <summary><c>goheapdump validate</c> and <c>inspect</c> run in-process on small hand-written dumps.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    // header; params (le, ptr 8, heap 0x1000..0x2000 as 80 20 / 80 40, "amd64", "", ncpu 1);
    // an object at 0x1000 (80 20) with 16 bytes and ptr@8; memstats (tag 0a + 281 zeros); EOF.
    private static readonly byte[] Valid = Convert.FromHexString(
        "676f312e3720686561702064756d700a" + "0600088020804005616d6436340001" + "01802010" + new string('0', 32) + "010800"
        + "0a" + string.Concat(Enumerable.Repeat("00", 281)) + "00");

    private readonly string _directory = Directory.CreateTempSubdirectory("validate-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = GoHeapDumpCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Validate_ConformingDump_Exits0WithSummary()
    {
        var (exit, output, _) = Run("validate", Write("ok.dump", Valid));
        Assert.Equal(0, exit);
        Assert.Contains("conforms", output, StringComparison.Ordinal);
        Assert.Contains("object", output, StringComparison.Ordinal);
    }

    private static (int Exit, string Out, string Err) RunStdin(byte[] stdin, bool crossCheck = false, params string[] files)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = ValidateCommand.Run(files, ValidationProfile.Default, "text", output: null, crossCheck, maxPerRule: 100, progress: false,
            maxMemoryText: null, () => new PipeStream(stdin, chunk: 7), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Validate_Stdin_ReadAsAPipe_SameVerdictsAsTheFile()
    {
        var (exit, output, _) = RunStdin(Valid, files: "-");
        Assert.Equal(0, exit);
        Assert.Contains("<stdin>: conforms", output, StringComparison.Ordinal);

        (exit, output, _) = RunStdin(Valid[..40], files: "-");
        Assert.Equal(1, exit);
        Assert.Contains("S07 truncated error at offset 0x23 (35), record #1 (object)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StdinBesideFiles_EachReported()
    {
        var (exit, output, _) = RunStdin(Valid[..^1], files: [Write("ok.dump", Valid), "-"]);
        Assert.Equal(1, exit);
        Assert.Contains("ok.dump: conforms", output, StringComparison.Ordinal);
        Assert.Contains("<stdin>: does not conform", output, StringComparison.Ordinal);
        Assert.Contains("1 of 2 files conform.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StdinTwiceOrWithCrossCheck_UsageError()
    {
        var (exit, _, error) = RunStdin(Valid, files: ["-", "-"]);
        Assert.Equal(2, exit);
        Assert.Contains("can be given once", error, StringComparison.Ordinal);

        (exit, _, error) = RunStdin(Valid, crossCheck: true, files: "-");
        Assert.Equal(2, exit);
        Assert.Contains("--cross-check reads the dump twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TruncatedDump_Exits1NamingRuleAndOffset()
    {
        // Cut inside the object's 16-byte contents: its body starts at 35 (16 header + 15 params + tag, address, length).
        var (exit, output, _) = Run("validate", Write("cut.dump", Valid[..40]));
        Assert.Equal(1, exit);
        Assert.Contains("S07 truncated error at offset 0x23 (35), record #1 (object)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EofRemoved_Exits1WithS08()
    {
        var (exit, output, _) = Run("validate", Write("noeof.dump", Valid[..^1]));
        Assert.Equal(1, exit);
        Assert.Contains($"S08 missing-eof error at offset 0x{Valid.Length - 1:x}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingFile_Exits3()
    {
        var (exit, _, error) = Run("validate", Path.Combine(_directory, "absent.dump"));
        Assert.Equal(3, exit);
        Assert.Contains("absent.dump", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyFile_SaysSoAndExits1()
    {
        var (exit, output, _) = Run("validate", Write("empty.dump", []));
        Assert.Equal(1, exit);
        Assert.Contains("S07 truncated error at offset 0x0 (0)", output, StringComparison.Ordinal);
        Assert.Contains("an empty file", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Directory_Exits3()
    {
        var (exit, _, error) = Run("validate", _directory);
        Assert.Equal(3, exit);
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoFiles_Exits2()
    {
        Assert.Equal(2, Run("validate").Exit);
        Assert.Equal(2, Run("validate", "--format", "xml", "x").Exit);
    }

    [Fact]
    public void Validate_StrictProfile_TurnsWarningsIntoErrors()
    {
        var otherRoot = Valid[..^283].Concat(Convert.FromHexString("020178" + "00")).Concat(Valid[^283..]).ToArray();
        var path = Write("otherroot.dump", otherRoot);
        Assert.Equal(0, Run("validate", path).Exit);
        var (exit, output, _) = Run("validate", "--strict", path);
        Assert.Equal(1, exit);
        Assert.Contains("S16 other-root error", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_JsonFormat_ListsDiagnosticsWithOffsets()
    {
        var (exit, output, _) = Run("validate", "--format", "json", Write("cut.dump", Valid[..40]), Write("ok.dump", Valid));
        Assert.Equal(1, exit);
        using var document = JsonDocument.Parse(output);
        var files = document.RootElement.GetProperty("files");
        Assert.Equal(2, files.GetArrayLength());
        var cut = files[0];
        Assert.False(cut.GetProperty("conforms").GetBoolean());
        var diagnostic = cut.GetProperty("diagnostics")[0];
        Assert.Equal("S07", diagnostic.GetProperty("rule").GetString());
        Assert.Equal(35, diagnostic.GetProperty("offset").GetInt64());
        Assert.Equal("object", diagnostic.GetProperty("record_kind").GetString());
        Assert.True(files[1].GetProperty("conforms").GetBoolean());
    }

    [Fact]
    public void Validate_JUnitToFile_OneTestCasePerRule()
    {
        var report = Path.Combine(_directory, "report.xml");
        var (exit, _, _) = Run("validate", "--format", "junit", "--output", report, Write("cut.dump", Valid[..40]));
        Assert.Equal(1, exit);
        var xml = XDocument.Load(report);
        var cases = xml.Descendants("testcase").ToList();
        Assert.Equal(Validation.ValidationRules.Catalogue.Count, cases.Count);
        var failed = Assert.Single(cases, c => c.Element("failure") is not null);
        Assert.Equal("S07 truncated", failed.Attribute("name")!.Value);
        Assert.Contains(cases, c => c.Element("skipped") is not null);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Validate_GzipCompressedDump_SaysSo()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Valid);
        }

        var (exit, output, _) = Run("validate", Write("dump.gz", compressed.ToArray()));
        Assert.Equal(1, exit);
        Assert.Contains("gzip-compressed heap dump", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ElfCoreFile_SaysSo()
    {
        var core = new byte[64];
        "\u007fELF"u8.CopyTo(core);
        core[4] = 2; // 64-bit
        core[5] = 1; // little-endian
        core[16] = 4; // e_type ET_CORE
        var (exit, output, _) = Run("validate", Write("core", core));
        Assert.Equal(1, exit);
        Assert.Contains("ELF core file", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PprofProfile_SaysSo()
    {
        // profile.proto: field 1 (sample_type) = ValueType{type: 1, unit: 2}, gzip-compressed as pprof writes it.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Convert.FromHexString("0a04080110021a0408031004"));
        }

        var (exit, output, _) = Run("validate", Write("heap.pb.gz", compressed.ToArray()));
        Assert.Equal(1, exit);
        Assert.Contains("pprof profile", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CrossCheck_ParsersAgreeOnValidAndTruncatedDumps()
    {
        var (exit, output, _) = Run("validate", "--cross-check", Write("ok.dump", Valid));
        Assert.Equal(0, exit);
        Assert.Contains("cross-check: the fast reader and the Kaitai parser agree", output, StringComparison.Ordinal);

        (exit, output, _) = Run("validate", "--cross-check", "--format", "json", Write("cut.dump", Valid[..40]));
        Assert.Equal(1, exit);
        using var document = JsonDocument.Parse(output);
        Assert.True(document.RootElement.GetProperty("files")[0].GetProperty("cross_check").GetProperty("agree").GetBoolean());
    }

    [Fact]
    public void Inspect_Summary_ShowsParamsAndKinds()
    {
        var (exit, output, _) = Run("inspect", Write("ok.dump", Valid));
        Assert.Equal(0, exit);
        Assert.Contains("amd64, 8-byte pointers, little-endian, 1 CPUs, heap 0x1000–0x2000", output, StringComparison.Ordinal);
        Assert.Contains("9–16", output, StringComparison.Ordinal);
        // An empty version string under a go1.7 header is a GOEXPERIMENT string: gc 1.7 to 1.16.
        Assert.Contains("producer: gc go1.7–go1.16 (version string \"\"); amd64: 8-byte pointers, little-endian (as amd64 implies); no malloc headers",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_Jsonl_RendersCanonicalLines()
    {
        var (exit, output, _) = Run("inspect", "--jsonl", Write("ok.dump", Valid));
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("{\"kind\":\"header\",\"version\":\"go1.7\"}", lines[0]);
        Assert.Equal("{\"kind\":\"object\",\"address\":\"4096\",\"contents\":\"" + new string('0', 32) + "\",\"fields\":[[\"ptr\",\"8\"]]}", lines[2]);
        Assert.Equal("{\"kind\":\"eof\"}", lines[^1]);
    }

    [Fact]
    public void Inspect_JsonlOfTruncatedDump_EndsWithErrorLineAndExits1()
    {
        var (exit, output, _) = Run("inspect", "--jsonl", Write("cut.dump", Valid[..40]));
        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("{\"kind\":\"error\",\"rule\":\"S07\",\"class\":\"truncated\",\"offset\":\"35\"}", lines[^1]);
    }
}
