using System.Text;
using GoHeapDump.Fixtures;
using GoHeapDump.Kaitai;
using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures.Tests;

/// <summary>
/// One test per fixture and per implementation: each parser renders exactly the frozen expectation (and rejects
/// with exactly the stated rule at the stated offset); the validator reports exactly the stated diagnostics.
/// </summary>
public sealed class FixtureTests
{
    public static TheoryData<string> All => Corpus.Names();

    [Theory]
    [MemberData(nameof(All))]
    public void FastReader_Fixture_MatchesExpectation(string fixture) =>
        AssertParser(fixture, s => HeapDumpReader.Open(s));

    [Theory]
    [MemberData(nameof(All))]
    public void KaitaiParser_Fixture_MatchesExpectation(string fixture) =>
        AssertParser(fixture, s => KaitaiHeapDumpReader.Open(s));

    [Theory]
    [MemberData(nameof(All))]
    public void Validator_Fixture_ReportsExactlyTheExpectedDiagnostics(string fixture)
    {
        var entry = Corpus.Entry(fixture);
        var report = HeapDumpValidator.Validate(new MemoryStream(Corpus.DumpBytes(entry)), fixture,
            new ValidationOptions { Profile = entry.Expect.Profile, MaxDiagnosticsPerRule = 1000 });
        var expected = entry.Expect.Diagnostics.Select(d => $"{d.Rule}@{d.Offset}").Order(StringComparer.Ordinal).ToList();
        var actual = report.Diagnostics.Select(d => $"{d.Rule.Id}@{d.Offset}").Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"{fixture} ({entry.Expect.Profile} profile): expected [{string.Join(", ", expected)}], the validator reported:\n{string.Join("\n", report.Diagnostics)}");
        Assert.Equal(entry.Class != FixtureClass.Invalid, report.Conforms);
    }

    private static void AssertParser(string fixture, Func<Stream, IHeapDumpReader> open)
    {
        var entry = Corpus.Entry(fixture);
        var output = ParserOutput.Render(open, Corpus.DumpBytes(entry));
        if (entry.Expect.ParseError is { } error)
        {
            Assert.True(output.Error is not null, $"{fixture}: accepted, expected {error.Rule} at {error.Offset}");
            Assert.Equal((error.Rule, error.Offset), (output.Error!.RuleId, output.Error.Offset));
        }
        else
        {
            Assert.True(output.Error is null, $"{fixture}: rejected: {output.Error?.Message}");
        }

        if (entry.Jsonl is { } file)
        {
            var expected = JsonlText.Lines(File.ReadAllText(Path.Combine(Corpus.Directory, file.Path), Encoding.UTF8));
            var difference = JsonlText.FirstDifference(expected, output.Lines);
            Assert.True(difference is null, $"{fixture}: {difference}");
        }
        else
        {
            Assert.Equal(entry.JsonlLines, output.Lines.Count);
            Assert.Equal(entry.JsonlNormalizedSha256, JsonlText.NormalizedSha256(output.Lines));
        }
    }
}
