using GoHeapDump.Fixtures;
using GoHeapDump.Kaitai;
using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures.Tests;

/// <summary>
/// A producer team's own dumps: set GOHEAPDUMP_EXTERNAL_DUMPS to a folder (or a runsettings file's
/// RunConfiguration/EnvironmentVariables, see fixtures/README.md); every file in it (recursively; .gz
/// decompressed; GOHEAPDUMP_EXTERNAL_PATTERN such as <c>*.dump.gz</c> selects by name) becomes one test: both parsers accept it, agree record for record, and the validator finds no
/// error under the default profile.
/// </summary>
public sealed class ExternalDumpTests
{
    /// <summary>The environment variable naming the folder of external dumps.</summary>
    public const string Variable = "GOHEAPDUMP_EXTERNAL_DUMPS";

    /// <summary>Optional: which files of the folder are dumps (a file-name pattern such as <c>*.dump.gz</c>; default every file).</summary>
    public const string PatternVariable = "GOHEAPDUMP_EXTERNAL_PATTERN";

    public static TheoryData<string> Files
    {
        get
        {
            var data = new TheoryData<string>();
            var dir = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
            {
                data.Add(""); // one skipped case says how to use it
                return data;
            }

            var pattern = Environment.GetEnvironmentVariable(PatternVariable);
            foreach (var file in Directory.GetFiles(dir, string.IsNullOrEmpty(pattern) ? "*" : pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(dir, file));
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void ExternalDump_BothParsersAndTheValidator_Accept(string file)
    {
        Skip.If(file.Length == 0, $"set {Variable}=/path/to/dumps to run the suite on your producer's dumps (fixtures/README.md)");
        var path = Path.Combine(Environment.GetEnvironmentVariable(Variable)!, file);
        var bytes = File.ReadAllBytes(path);
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            bytes = CorpusBuilder.Gunzip(bytes);
        }

        var fast = ParserOutput.Render(s => HeapDumpReader.Open(s), bytes);
        Assert.True(fast.Error is null, $"{file}: the fast reader rejects it: {fast.Error?.Message}");
        var kaitai = ParserOutput.Render(s => KaitaiHeapDumpReader.Open(s), bytes);
        Assert.True(kaitai.Error is null, $"{file}: the Kaitai parser rejects it: {kaitai.Error?.Message}");
        var difference = JsonlText.FirstDifference(fast.Lines, kaitai.Lines);
        Assert.True(difference is null, $"{file}: the parsers disagree (expected = fast reader, actual = Kaitai): {difference}");

        var report = HeapDumpValidator.Validate(new MemoryStream(bytes), file);
        Assert.True(report.Conforms, $"{file}: does not conform:\n{string.Join("\n", report.Diagnostics.Where(d => d.Severity == GoHeapDump.RuleSeverity.Error))}");
    }
}
