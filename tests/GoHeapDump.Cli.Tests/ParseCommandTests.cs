using GoHeapDump.Cli.Commands;

namespace GoHeapDump.Cli.Tests;

public sealed class ParseCommandTests : IDisposable
{
    // go1.7 header (0..15); params at 16: tag 06, big_endian 00 (17), ptr_size 08 (18), heap_start 00 (19),
    // heap_end 00 (20), arch "amd64" (length 21, body 22..26), version_info "go1.19.8" (length 27, body 28..35),
    // ncpu 04 (36); object at 37: address 300 = ac 02 (38..39), contents length 02 (40), body ab cd (41..42),
    // fields ptr@0 (43..44), eol (45); EOF at 46.
    private const string Header = "676f312e3720686561702064756d700a";
    private const string Params = "06 00 08 00 00 05 616d643634 08 676f312e31392e38 04";
    private const string Object = "01 ac02 02 abcd 01 00 00";

    private const string HeaderLine = """{"kind":"header","version":"go1.7"}""";
    private const string ParamsLine = """{"kind":"params","big_endian":false,"ptr_size":"8","heap_start":"0","heap_end":"0","arch":"amd64","version_info":"go1.19.8","ncpu":"4"}""";
    private const string ObjectLine = """{"kind":"object","address":"300","contents":"abcd","fields":[["ptr","0"]]}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("goheapdump-parse-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    private string WriteDump(string hex)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.dump");
        File.WriteAllBytes(path, Hex(hex));
        return path;
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = GoHeapDumpCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    [Fact]
    public void Parse_ValidDump_PrintsEveryRecordAndExitsZero()
    {
        var (exit, stdout, stderr) = Run("parse", WriteDump(Header + Params + Object + "00"));

        Assert.Equal(0, exit);
        Assert.Equal(Lines(HeaderLine, ParamsLine, ObjectLine, """{"kind":"eof"}"""), stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Parse_TruncatedDump_PrintsRecordsThenErrorAndExitsOne()
    {
        // Cut inside the object's contents: the body (2 bytes) starts at 41, one byte of it is there.
        var (exit, stdout, stderr) = Run("parse", WriteDump(Header + Params + "01 ac02 02 ab"));

        Assert.Equal(1, exit);
        Assert.Equal(Lines(HeaderLine, ParamsLine, """{"kind":"error","rule":"S07","class":"truncated","offset":"41"}"""), stdout);
        Assert.Contains("S07 truncated", stderr, StringComparison.Ordinal);
        Assert.Contains("at offset 0x29 (41), record #1 (object)", stderr, StringComparison.Ordinal);
        Assert.Contains("/types/object_record/seq/1 > /types/go_string/seq/1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingEof_ReportsS08AtEndOfInput()
    {
        var (exit, stdout, _) = Run("parse", WriteDump(Header + Params));

        Assert.Equal(1, exit);
        Assert.Equal(Lines(HeaderLine, ParamsLine, """{"kind":"error","rule":"S08","class":"missing-eof","offset":"37"}"""), stdout);
    }

    [Fact]
    public void Parse_BadHeader_PrintsOnlyTheErrorLine()
    {
        // "go1.8 heap dump\n": the digit at offset 4 differs.
        var (exit, stdout, stderr) = Run("parse", WriteDump("676f312e3820686561702064756d700a 00"));

        Assert.Equal(1, exit);
        Assert.Equal(Lines("""{"kind":"error","rule":"S01","class":"header-magic","offset":"4"}"""), stdout);
        Assert.Contains("S01 header-magic", stderr, StringComparison.Ordinal);
        Assert.Contains("header", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BytesAfterEof_ReportsS09InsteadOfTheEofLine()
    {
        // EOF at 37, trailing byte at 38.
        var (exit, stdout, _) = Run("parse", WriteDump(Header + Params + "00 00"));

        Assert.Equal(1, exit);
        Assert.Equal(Lines(HeaderLine, ParamsLine, """{"kind":"error","rule":"S09","class":"trailing-bytes","offset":"38"}"""), stdout);
    }

    [Fact]
    public void Parse_UnknownTag_ReportsS05WithRecordIndex()
    {
        // tag 0x20 at 37.
        var (exit, stdout, stderr) = Run("parse", WriteDump(Header + Params + "20"));

        Assert.Equal(1, exit);
        Assert.EndsWith(Lines("""{"kind":"error","rule":"S05","class":"unknown-tag","offset":"37"}"""), stdout, StringComparison.Ordinal);
        Assert.Contains("unknown record tag 32", stderr, StringComparison.Ordinal);
        Assert.Contains("record #1 [/types/record/seq/1]", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Stdin_ReadsTheStream()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = ParseCommand.Run("-", () => new MemoryStream(Hex(Header + Object + "00")), stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Equal(Lines(HeaderLine, ObjectLine, """{"kind":"eof"}"""), stdout.ToString());
    }

    [Fact]
    public void Parse_MissingFile_ExitsThreeWithMessage()
    {
        var path = Path.Combine(_dir, "absent.dump");
        var (exit, stdout, stderr) = Run("parse", path);

        Assert.Equal(3, exit);
        Assert.Equal("", stdout);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Directory_ExitsThree()
    {
        var (exit, _, stderr) = Run("parse", _dir);

        Assert.Equal(3, exit);
        Assert.StartsWith("goheapdump parse:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoFileArgument_IsAUsageError()
    {
        var (exit, _, stderr) = Run("parse");

        Assert.Equal(2, exit);
        Assert.Contains("goheapdump:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8Name_RendersHexObject()
    {
        // type at 16: address 01, size 08, name ff fe (not UTF-8), bool 1; EOF.
        var (exit, stdout, _) = Run("parse", WriteDump(Header + "03 01 08 02 fffe 01 00"));

        Assert.Equal(0, exit);
        Assert.Equal(Lines(HeaderLine, """{"kind":"type","address":"1","size":"8","name":{"hex":"fffe"},"iface_data_is_pointer":true}""", """{"kind":"eof"}"""), stdout);
    }

    [Fact]
    public void Parse_FastParser_SameOutputAsKaitai()
    {
        var file = WriteDump(Header + Params + Object + "00");

        var (exit, stdout, stderr) = Run("parse", "--parser", "fast", file);

        Assert.Equal(0, exit);
        Assert.Equal(Lines(HeaderLine, ParamsLine, ObjectLine, """{"kind":"eof"}"""), stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Parse_FastParserOnStdin_TruncatedDump_SameErrorLine()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = ParseCommand.Run("-", fast: true, () => new MemoryStream(Hex(Header + Params + "01 ac02 02 ab")), stdout, stderr);

        Assert.Equal(1, exit);
        Assert.Equal(Lines(HeaderLine, ParamsLine, """{"kind":"error","rule":"S07","class":"truncated","offset":"41"}"""), stdout.ToString());
    }

    [Fact]
    public void Parse_UnknownParser_IsAUsageError()
    {
        var (exit, _, stderr) = Run("parse", "--parser", "slow", "x.dump");

        Assert.Equal(2, exit);
        Assert.Contains("slow", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTheSuiteVersionThenTheCorpusVersionAndPlace()
    {
        // The first word stays the bare version (scripts read it); the corpus is the checkout's here.
        var (exit, stdout, _) = Run("--version");

        Assert.Equal(0, exit);
        var v = GoHeapDump.Fixtures.SuiteInfo.Version;
        Assert.Matches(@"^\d+\.\d+\.\d+ ", stdout);
        Assert.StartsWith($"{v} (corpus {v} at ", stdout, StringComparison.Ordinal);
        Assert.EndsWith("fixtures)\n", stdout.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
