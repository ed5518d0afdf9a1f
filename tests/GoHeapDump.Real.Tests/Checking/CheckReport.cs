using System.Globalization;
using System.Text;

namespace GoHeapDump.Real.Tests.Checking;

/// <summary>One evaluated check: a stable ID (what was checked), the outcome, and what was seen.</summary>
/// <param name="Id">Stable ID such as <c>object.marker</c>; tests and summaries group by it.</param>
/// <param name="Passed">True when the dump agrees with the manifest.</param>
/// <param name="Message">What was compared, with the values on both sides.</param>
public sealed record CheckResult(string Id, bool Passed, string Message)
{
    public override string ToString() => $"{(Passed ? "ok  " : "FAIL")} {Id}: {Message}";
}

/// <summary>The checks of one dump against its manifest, plus facts observed on the way (information only).</summary>
public sealed class CheckReport
{
    private readonly List<CheckResult> _results = [];
    private readonly List<string> _facts = [];

    internal CheckReport(string name, ProducerProfile producer)
    {
        Name = name;
        Producer = producer;
    }

    /// <summary>The dump's name in messages (e.g. <c>gc-go1.19.8-linux-amd64/basic</c>).</summary>
    public string Name { get; }

    public ProducerProfile Producer { get; }

    public IReadOnlyList<CheckResult> Results => _results;

    public IReadOnlyList<string> Facts => _facts;

    public int PassedCount => _results.Count(r => r.Passed);

    public int FailedCount => _results.Count(r => !r.Passed);

    public bool AllPassed => _results.Count > 0 && FailedCount == 0;

    /// <summary>Records read, the EOF record included.</summary>
    public long RecordCount { get; internal set; }

    /// <summary>Results with this ID (tests look a check up by ID).</summary>
    public IEnumerable<CheckResult> WithId(string id) => _results.Where(r => r.Id == id);

    internal void Add(string id, bool passed, string message) => _results.Add(new CheckResult(id, passed, message));

    internal void Fact(string fact) => _facts.Add(fact);

    /// <summary>A summary line, every failure, and the facts: what a failing test prints.</summary>
    public string Describe(bool includePassed = false)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{Name} ({Producer.Compiler}): {_results.Count} checks, {PassedCount} passed, {FailedCount} failed; {RecordCount} records\n");
        foreach (var r in _results)
        {
            if (includePassed || !r.Passed)
            {
                text.Append("  ").Append(r).Append('\n');
            }
        }

        foreach (var f in _facts)
        {
            text.Append("  fact ").Append(f).Append('\n');
        }

        return text.ToString();
    }

    public override string ToString() => Describe();
}
