using GoHeapDump.Real.Tests.Infrastructure;
using GoHeapDump.Reference;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// The reference writer's releases against the real thing: for every committed gc <c>basic</c> dump (Go 1.19 to 1.27 on
/// amd64, arm, mips, s390x), a dump generated for the same release and architecture (<c>generate --go</c>) must have the
/// same shape: header and params, the record kinds present and their section order, the field-list semantics of large
/// objects and of small objects with malloc headers, whether the span tails are dumped, the goroutine statuses and the
/// runtime's wait reasons that occur, and the defer chain of the panicking goroutine. A difference fails the test by
/// name. The facts are read from the two dumps alike; nothing here comes from the writer's own tables.
/// </summary>
public sealed class ShapeAgreementTests
{
    public static TheoryData<string> GcBasicDumps()
    {
        var data = new TheoryData<string>();
        foreach (var d in RealDumpCatalog.All.Where(d => d.Directory.StartsWith("gc-", StringComparison.Ordinal) && d.Probe == "basic"))
        {
            data.Add(d.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GcBasicDumps))]
    public void GeneratedDumpOfTheRelease_HasTheRealDumpsShape(string id)
    {
        var real = Shape.Of(RealDumpCatalog.Records(id), ReadHeader(RealDumpCatalog.Get(id)));
        var version = GoVersion.Parse(real.VersionInfo);
        Assert.True(version.Release is { } r && StateBuilder.FindRelease($"{r.Major}.{r.Minor}.{r.Patch}") is not null, $"{id}: release {version.Text} is not modelled");
        var release = StateBuilder.FindRelease($"{version.Release!.Value.Major}.{version.Release.Value.Minor}.{version.Release.Value.Patch}")!.Value;

        var differences = real.Differences(Generated(real.Arch, release)).ToList();
        Assert.True(differences.Count == 0, $"{id} vs generate --go {release} --arch {real.Arch}:\n  " + string.Join("\n  ", differences));
    }

    [Theory]
    [InlineData("gc-go1.22.12-linux-amd64/basic", "1.21.13", new[] { "params", "large objects'", "small objects over 512", "more objects dumped", "defer records" })]
    [InlineData("gc-go1.21.13-linux-amd64/basic", "1.22.12", new[] { "params", "large objects'", "small objects over 512", "more objects dumped", "defer records" })]
    [InlineData("gc-go1.21.13-linux-s390x/basic", "1.19.8", new[] { "params", "a goroutine waiting as \"dumping heap\"" })]
    public void GeneratedDumpOfTheNeighbouringRelease_DiffersWhereTheReleasesDo(string id, string neighbour, string[] expected)
    {
        // The comparison can fail: a generated dump of the release before or after shows exactly the runtime's changes.
        var real = Shape.Of(RealDumpCatalog.Records(id), ReadHeader(RealDumpCatalog.Get(id)));
        var differences = real.Differences(Generated(real.Arch, StateBuilder.FindRelease(neighbour)!.Value)).ToList();
        Assert.Equal(expected, differences.Select(d => expected.FirstOrDefault(e => d.StartsWith(e, StringComparison.Ordinal)) ?? d));
    }

    /// <summary>The shape of <c>generate --seed 1 --objects 3000 --arch <paramref name="arch"/> --go <paramref name="release"/></c>, read back with the fast reader.</summary>
    private static Shape Generated(string arch, GoRelease release)
    {
        var bytes = HeapDumpWriter.ToBytes(StateBuilder.Build(1, 3000, arch, release));
        using var reader = HeapDumpReader.Open(new MemoryStream(bytes));
        var records = new List<HeapDumpRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return Shape.Of(records, reader.Version);
    }

    private static HeaderVersion ReadHeader(RealDump dump)
    {
        using var stream = dump.OpenDecompressed();
        using var reader = HeapDumpReader.Open(stream);
        return reader.Version;
    }

    /// <summary>The facts compared, computed the same way from either dump.</summary>
    private sealed record Shape(
        HeaderVersion Header,
        string Arch,
        ulong PtrSize,
        bool BigEndian,
        string VersionInfo,
        IReadOnlyList<string> Sections,
        IReadOnlySet<RecordKind> Kinds,
        bool? LargeFieldsReachTheEnd,
        bool? HeaderObjectFieldAtZero,
        bool MoreObjectsThanHeapObjects,
        IReadOnlySet<ulong> Statuses,
        bool DumpingHeap,
        IReadOnlySet<string> RuntimeWaitReasons,
        int? PanickingGoroutineDefers)
    {
        /// <summary>Wait reasons of the runtime's own goroutines (forcegc, sweeper, scavenger, GC workers, finalizer goroutine).</summary>
        private static readonly string[] RuntimeReasons = ["force gc (idle)", "GC sweep wait", "GC scavenge wait", "GC worker (idle)", "finalizer wait"];

        public static Shape Of(IReadOnlyList<HeapDumpRecord> records, HeaderVersion header)
        {
            var p = records.OfType<ParamsRecord>().Single();
            var objects = records.OfType<ObjectRecord>().ToList();
            var large = objects.Where(o => o.Contents.Length > 32768 && o.Fields.Count > 0).ToList();
            var headed = objects.Where(o => (ulong)o.Contents.Length > p.PtrSize * p.PtrSize * 8 && o.Contents.Length <= 32768 && o.Fields.Count > 0).ToList();
            var goroutines = records.OfType<GoroutineRecord>().ToList();
            var waiting = goroutines.Where(g => g.Status == 4).Select(g => g.WaitReason.ToString()).ToHashSet(StringComparer.Ordinal);
            var panicking = records.OfType<PanicRecord>().Select(x => x.Goroutine).Distinct().ToList();
            return new Shape(
                header,
                p.Arch?.ToString() ?? $"thechar {p.TheChar}",
                p.PtrSize,
                p.BigEndian,
                p.VersionInfo.ToString(),
                SectionsOf(records),
                records.Select(r => r.Kind).ToHashSet(),
                large.Count == 0 ? null : large.Any(o => o.Fields[^1].Offset + p.PtrSize == (ulong)o.Contents.Length),
                headed.Count == 0 ? null : headed.Any(o => o.Fields[0].Offset == 0),
                (ulong)objects.Count > records.OfType<MemStatsRecord>().Single().HeapObjects,
                goroutines.Select(g => g.Status).ToHashSet(),
                waiting.Contains("dumping heap"),
                RuntimeReasons.Where(waiting.Contains).ToHashSet(StringComparer.Ordinal),
                panicking.Count == 1 ? records.OfType<DeferRecord>().Count(d => d.Goroutine == panicking[0]) : null);
        }

        /// <summary>The dump as its sections, in order: runs of one kind, with types and itabs one section and a goroutine's records part of it.</summary>
        private static List<string> SectionsOf(IReadOnlyList<HeapDumpRecord> records)
        {
            var sections = new List<string>();
            foreach (var r in records)
            {
                var section = r.Kind switch
                {
                    RecordKind.Type or RecordKind.Itab => "itabs",
                    RecordKind.Goroutine or RecordKind.StackFrame or RecordKind.Defer or RecordKind.Panic => "goroutines",
                    _ => r.Kind.Name(),
                };
                if (sections.Count == 0 || sections[^1] != section)
                {
                    sections.Add(section);
                }
            }

            return sections;
        }

        /// <summary>What the generated dump <paramref name="g"/> does not share with this real one.</summary>
        public IEnumerable<string> Differences(Shape g)
        {
            if (Header != g.Header)
            {
                yield return $"header: real {Header}, generated {g.Header}";
            }

            if ((Arch, PtrSize, BigEndian, VersionInfo) != (g.Arch, g.PtrSize, g.BigEndian, g.VersionInfo))
            {
                yield return $"params: real {Arch} {PtrSize}-byte {(BigEndian ? "big" : "little")}-endian \"{VersionInfo}\", generated {g.Arch} {g.PtrSize}-byte {(g.BigEndian ? "big" : "little")}-endian \"{g.VersionInfo}\"";
            }

            var missing = Kinds.Except(g.Kinds).Select(k => k.Name()).ToList();
            if (missing.Count > 0)
            {
                yield return $"record kinds the real dump has and the generated one lacks: {string.Join(", ", missing)}";
            }

            var order = g.Sections.Where(Sections.Contains).ToList();
            if (!order.SequenceEqual(Sections))
            {
                yield return $"section order: real [{string.Join(" ", Sections)}], generated [{string.Join(" ", order)}]";
            }

            if (LargeFieldsReachTheEnd is { } reach && g.LargeFieldsReachTheEnd != reach)
            {
                yield return $"large objects' pointer fields reach the span's last word: real {(reach ? "yes" : "no")}, generated {Describe(g.LargeFieldsReachTheEnd)}";
            }

            if (HeaderObjectFieldAtZero is { } atZero && g.HeaderObjectFieldAtZero != atZero)
            {
                yield return $"small objects over {PtrSize * PtrSize * 8} bytes with a pointer field at offset 0 (no malloc header): real {(atZero ? "yes" : "no")}, generated {Describe(g.HeaderObjectFieldAtZero)}";
            }

            if (MoreObjectsThanHeapObjects != g.MoreObjectsThanHeapObjects)
            {
                yield return $"more objects dumped than HeapObjects (span tails): real {MoreObjectsThanHeapObjects}, generated {g.MoreObjectsThanHeapObjects}";
            }

            var statuses = Statuses.Except(g.Statuses).ToList();
            if (statuses.Count > 0)
            {
                yield return $"goroutine statuses the real dump has and the generated one lacks: {string.Join(", ", statuses)}";
            }

            if (DumpingHeap != g.DumpingHeap)
            {
                yield return $"a goroutine waiting as \"dumping heap\": real {DumpingHeap}, generated {g.DumpingHeap}";
            }

            var reasons = RuntimeWaitReasons.Except(g.RuntimeWaitReasons).ToList();
            if (reasons.Count > 0)
            {
                yield return $"runtime goroutines' wait reasons the generated dump lacks: {string.Join(", ", reasons)}";
            }

            if (PanickingGoroutineDefers is { } defers && g.PanickingGoroutineDefers != defers)
            {
                yield return $"defer records of the goroutine parked in a deferred call during a panic: real {defers}, generated {g.PanickingGoroutineDefers?.ToString() ?? "no single panicking goroutine"}";
            }
        }

        private static string Describe(bool? fact) => fact switch { true => "yes", false => "no", null => "none to judge" };
    }
}
