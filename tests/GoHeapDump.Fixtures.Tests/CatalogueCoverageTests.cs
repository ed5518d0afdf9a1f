using System.Text.RegularExpressions;
using GoHeapDump.Fixtures;
using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures.Tests;

/// <summary>The corpus covers the format: every rule of the catalogue, every record kind, every header variant.</summary>
public sealed partial class CatalogueCoverageTests
{
    [GeneratedRegex(@"^\| ([SVR]\d\d) \|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();

    public static TheoryData<string> RuleIds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var rule in ValidationRules.Catalogue)
            {
                data.Add(rule.Id);
            }

            return data;
        }
    }

    [Fact]
    public void Catalogue_FormatMd_ListsTheValidatorsRules()
    {
        var text = File.ReadAllText(Path.Combine(Corpus.Root, "spec", "FORMAT.md"));
        var documented = RuleRow().Matches(text).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        var implemented = ValidationRules.Catalogue.Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(implemented, documented);
    }

    /// <summary>An invalid fixture whose only finding is this rule: the parse error, or the validator's sole diagnostic.</summary>
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_HasAnInvalidFixtureTriggeringExactlyIt(string rule)
    {
        var exact = Corpus.Manifest.Fixtures.Where(e => e.Class == FixtureClass.Invalid
            && (e.Expect.ParseError?.Rule == rule
                || (e.Expect.ParseError is null && e.Expect.Diagnostics.Count == 1 && e.Expect.Diagnostics[0].Rule == rule)));
        Assert.True(exact.Any(), $"no invalid fixture triggers exactly {rule}");
    }

    /// <summary>
    /// `--strict` on fixtures/valid reports exactly the fixtures the manifest marks as conforming but unrealistic,
    /// each with at least one finding; every other valid fixture (what a Go runtime could have written) is strict-clean.
    /// </summary>
    [Fact]
    public void ValidFixtures_PassStrict_UnlessMarkedUnrealistic()
    {
        var wrong = new List<string>();
        foreach (var e in Corpus.Manifest.Fixtures.Where(e => e.Class == FixtureClass.Valid))
        {
            var report = HeapDumpValidator.Validate(new MemoryStream(Corpus.DumpBytes(e)), e.Name,
                new ValidationOptions { Profile = ValidationProfile.Strict });
            if (report.Conforms != (e.Expect.Unrealistic is null))
            {
                wrong.Add($"{e.Name}: strict {(report.Conforms ? "accepts it" : "rejects it")}, unrealistic: {e.Expect.Unrealistic ?? "(not marked)"}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Contains(Corpus.Manifest.Fixtures, e => e.Expect.Unrealistic is not null);
    }

    [Fact]
    public void Truncations_EveryRecordKind_HasAFixture()
    {
        foreach (var kind in HeapDumpFormat.RecordKindNames)
        {
            var name = $"invalid/S07-truncated-in-{kind}";
            var entry = Corpus.Manifest.Fixtures.SingleOrDefault(e => e.Name == name);
            Assert.True(entry is not null, $"missing {name}");
            Assert.Equal("S07", entry!.Expect.ParseError?.Rule);
        }
    }

    [Fact]
    public void ValidFixtures_CoverEveryRecordKindHeaderVariantAndWordLayout()
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        var layouts = new HashSet<string>(StringComparer.Ordinal);
        var fieldKinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in Corpus.Manifest.Fixtures.Where(e => e.Class == FixtureClass.Valid))
        {
            foreach (var line in JsonlText.Lines(File.ReadAllText(Path.Combine(Corpus.Directory, e.Jsonl!.Path))))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                var root = doc.RootElement;
                var kind = root.GetProperty("kind").GetString()!;
                kinds.Add(kind);
                if (kind == "header")
                {
                    versions.Add(root.GetProperty("version").GetString()!);
                }
                else if (root.TryGetProperty("fields", out var fields))
                {
                    foreach (var f in fields.EnumerateArray())
                    {
                        fieldKinds.Add(f[0].GetString()!);
                    }
                }

                if (kind == "params")
                {
                    layouts.Add($"{root.GetProperty("ptr_size").GetString()}/{(root.GetProperty("big_endian").GetBoolean() ? "be" : "le")}");
                }
            }
        }

        Assert.Equal(HeapDumpFormat.RecordKindNames.Append("header").Order(StringComparer.Ordinal), kinds.Order(StringComparer.Ordinal));
        Assert.Equal(["go1.5", "go1.6", "go1.7"], versions.Order(StringComparer.Ordinal));
        Assert.Equal(["4/be", "4/le", "8/be", "8/le"], layouts.Order(StringComparer.Ordinal));
        Assert.Equal(["eface", "iface", "ptr"], fieldKinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Manifest_SuiteVersion_IsTheBuildsVersion()
    {
        Assert.Equal(SuiteInfo.Version, Corpus.Manifest.SuiteVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+$", SuiteInfo.Version);
    }
}
