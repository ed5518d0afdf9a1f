using System.Text.RegularExpressions;
using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

public partial class CatalogueTests
{
    [GeneratedRegex(@"^\| (?<id>[SVR]\d\d) \| (?<slug>[a-z0-9-]+) \| (?<severity>error|warning) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [Fact]
    public void SpecTables_ListEveryRuleWithTheSameSlugAndSeverity()
    {
        var spec = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "spec", "FORMAT.md"));
        var rows = TableRow().Matches(spec).ToDictionary(m => m.Groups["id"].Value, m => (m.Groups["slug"].Value, m.Groups["severity"].Value));
        foreach (var info in ValidationRules.Catalogue)
        {
            Assert.True(rows.TryGetValue(info.Id, out var row), $"{info.Id} is not in spec/FORMAT.md");
            Assert.Equal(info.Rule.Slug, row.Item1);
            Assert.Equal(info.Rule.Severity == RuleSeverity.Error ? "error" : "warning", row.Item2);
        }

        Assert.Equal(ValidationRules.Catalogue.Count, rows.Count);
    }

    [Fact]
    public void Catalogue_IdsAreUniqueAndStructureRulesComeFromTheCore()
    {
        var ids = ValidationRules.Catalogue.Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var rule in StructureRules.All)
        {
            Assert.Same(rule, ValidationRules.Find(rule.Id)!.Rule);
        }
    }
}
