using System.Globalization;
using System.Text;
using GoHeapDump.Real.Tests.Infrastructure;
using GoHeapDump.Reference;
using GoHeapDump.Validation;
using Xunit.Abstractions;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// The validator judged by what it lets through: semantic mutants of the committed real dumps (gc 1.19–1.27 on amd64,
/// arm, mips, s390x; gccgo 12), each still decodable record by record but breaking one thing the Go runtime guarantees,
/// and controls that change what a correct validator must accept; at least one mutant per rule of the catalogue. Must-reject mutants fail both profiles with the
/// expected rule; strict-only mutants fail <c>--strict</c> with it and pass the default profile; controls pass both.
/// The mutators work on the record model and the record writer: they share no code with the rules they attack, and
/// they decide where they apply from the dump itself (a 32-bit dump, a gc dump, a dump with finalizers).
/// The matrix (mutant × dump: caught, missed, not applicable) is printed to the test output and, when
/// <c>GOHEAPDUMP_MATRIX_OUT</c> names a file, written there as Markdown (<c>.ci/run</c> prints it).
/// </summary>
public class SensitivityMatrixTests(ITestOutputHelper output)
{
    private enum Expect
    {
        RejectedByBoth,
        StrictOnly,
        Control,
    }

    /// <summary>A mutation: the rule it must trip (null for a control), and the change (null when it does not apply to the dump).</summary>
    private sealed record Mutant(string Name, string? Rule, Expect Expect, Func<List<HeapDumpRecord>, List<HeapDumpRecord>?> Apply,
        Func<byte[], byte[]>? Bytes = null);

    /// <summary>A mutant of the written bytes (the structure rules, which no record list can break).</summary>
    private static Mutant Raw(string name, string rule, Expect expect, Func<byte[], byte[]> bytes) => new(name, rule, expect, r => r, bytes);

    /// <summary>The bytes with the EOF record (the last byte, tag 0) replaced.</summary>
    private static byte[] EofReplacedBy(byte[] b, params byte[] with) => [.. b[..^1], .. with];

    private static readonly Mutant[] Mutants =
    [
        // Errors in every profile.
        new("32-bit heap end past 4 GiB", "V12", Expect.RejectedByBoth, r => Params(r).PtrSize == 4 ? With(r, 0, Params(r) with { HeapEnd = Params(r).HeapEnd + (1UL << 32) }) : null),
        new("goroutine status 2", "V08", Expect.RejectedByBoth, r => ChangeGoroutine(r, 0, g => g with { Status = 2 })),
        new("goroutine dumped twice", "R14", Expect.RejectedByBoth, r => Goroutines(r).Count < 2 ? null : ChangeGoroutine(r, 1, g => g with { Address = Goroutines(r)[0].Address })),
        new("goroutine on an M with no thread record", "R13", Expect.RejectedByBoth, r => ChangeGoroutine(r, 0, g => g with { M = 0x7ead_0000 })),
        new("object dumped twice", "V07", Expect.RejectedByBoth, r => Index(r, RecordKind.Object) is var i and >= 0 ? Inserted(r, i + 1, r[i]) : null),
        new("object past the heap end", "V03", Expect.RejectedByBoth, r => Unreferenced(r, o => true) is var i and >= 0
            ? With(r, i, (ObjectRecord)r[i] with { Address = Params(r).HeapEnd }) : null),

        // Structure, broken in the bytes.
        Raw("header version digit 8", "S01", Expect.RejectedByBoth, b => { var c = b.ToArray(); c[4] = (byte)'8'; return c; }),
        Raw("EOF tag in 11 bytes", "S02", Expect.RejectedByBoth, b => EofReplacedBy(b, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)),
        Raw("EOF tag past 64 bits", "S03", Expect.RejectedByBoth, b => EofReplacedBy(b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)),
        Raw("params big_endian 2", "S04", Expect.RejectedByBoth, b => { var c = b.ToArray(); c[17] = 2; return c; }),
        Raw("tag 18", "S05", Expect.RejectedByBoth, b => EofReplacedBy(b, 18)),
        Raw("field kind 5", "S06", Expect.RejectedByBoth, b => EofReplacedBy(b, 1, 0, 0, 5, 0, 0, 0)),
        Raw("cut in half", "S07", Expect.RejectedByBoth, b => b[..(b.Length / 2)]),
        Raw("EOF missing", "S08", Expect.RejectedByBoth, b => b[..^1]),
        Raw("a byte after EOF", "S09", Expect.RejectedByBoth, b => [.. b, 0]),
        Raw("EOF tag in two bytes", "S10", Expect.StrictOnly, b => EofReplacedBy(b, 0x80, 0x00)),

        // Whole-file structure, values and references (the format's own rules).
        new("params after the first type", "S11", Expect.RejectedByBoth, r => Index(r, RecordKind.Type) is var i and > 0 ? Inserted(Without(r, 0)!, i, r[0]) : null),
        new("params twice", "S12", Expect.RejectedByBoth, r => Inserted(r, 1, r[0])),
        new("memstats twice", "S13", Expect.RejectedByBoth, r => Index(r, RecordKind.MemStats) is var i and >= 0 ? Inserted(r, i + 1, r[i]) : null),
        new("an OS thread after the data record", "S14", Expect.StrictOnly, r => Index(r, RecordKind.OsThread) is var t and >= 0 && Index(r, RecordKind.Data) is var d and >= 0
            ? Inserted(Without(r, t)!, d, r[t]) : null),
        new("a field of kind iface", "S15", Expect.StrictOnly, r => FirstObjectWithFields(r) is var i and >= 0
            ? With(r, i, (ObjectRecord)r[i] with { Fields = ((ObjectRecord)r[i]).Fields.Select((f, n) => n == 0 ? f with { Kind = FieldKind.Iface } : f).ToArray() }) : null),
        new("an other-root record", "S16", Expect.StrictOnly, r => Inserted(r, 1, new OtherRootRecord(new GoString("finalizer queue"u8.ToArray()), 0))),
        new("pointer size 6", "V01", Expect.RejectedByBoth, r => With(r, 0, Params(r) with { PtrSize = 6 })),
        new("heap start above heap end", "V02", Expect.RejectedByBoth, r => With(r, 0, Params(r) with { HeapStart = Params(r).HeapEnd, HeapEnd = Params(r).HeapStart })),
        new("a field offset 1 byte off", "V04", Expect.RejectedByBoth, r => FirstObjectWithFields(r) is var i and >= 0
            ? With(r, i, (ObjectRecord)r[i] with { Fields = ((ObjectRecord)r[i]).Fields.Select((f, n) => n == 0 ? f with { Offset = f.Offset + 1 } : f).ToArray() }) : null),
        new("a field at the end of the contents", "V05", Expect.RejectedByBoth, r => FirstObjectWithFields(r) is var i and >= 0
            ? With(r, i, (ObjectRecord)r[i] with { Fields = ((ObjectRecord)r[i]).Fields.Append(Field.Ptr((ulong)((ObjectRecord)r[i]).Contents.Length)).ToArray() }) : null),
        new("fields in reverse order", "V06", Expect.RejectedByBoth, r => r.FindIndex(x => x is ObjectRecord o && o.Fields.Count >= 2) is var i and >= 0
            ? With(r, i, (ObjectRecord)r[i] with { Fields = ((ObjectRecord)r[i]).Fields.Reverse().ToArray() }) : null),
        new("a frame field 1 byte off", "V09", Expect.StrictOnly, r => FirstFrameWithFields(r) is var i and >= 0
            ? With(r, i, (StackFrameRecord)r[i] with { Fields = ((StackFrameRecord)r[i]).Fields.Select((f, n) => n == 0 ? f with { Offset = f.Offset + 1 } : f).ToArray() }) : null),
        new("a frame field past the frame", "V10", Expect.StrictOnly, r => FirstFrameWithFields(r) is var i and >= 0
            ? With(r, i, (StackFrameRecord)r[i] with { Fields = ((StackFrameRecord)r[i]).Fields.Append(Field.Ptr((ulong)((StackFrameRecord)r[i]).Contents.Length + Params(r).PtrSize)).ToArray() }) : null),
        new("is_background true", "V11", Expect.StrictOnly, r => ChangeGoroutine(r, 0, g => g with { IsBackground = true })),
        new("a frame after the OS threads", "R01", Expect.RejectedByBoth, r => Index(r, RecordKind.StackFrame) is var f and >= 0 && r.FindLastIndex(x => x.Kind == RecordKind.OsThread) is var t and >= 0
            ? Inserted(r, t + 1, r[f]) : null),
        new("frame depth skips one", "R02", Expect.RejectedByBoth, r => SecondFrame(r) is var i and >= 0 ? With(r, i, (StackFrameRecord)r[i] with { Depth = 2 }) : null),
        new("child sp 8 off", "R03", Expect.RejectedByBoth, r => SecondFrame(r) is var i and >= 0 ? With(r, i, (StackFrameRecord)r[i] with { ChildSp = ((StackFrameRecord)r[i]).ChildSp + 8 }) : null),
        new("goroutine sp 64 below its frame", "R04", Expect.RejectedByBoth, r => r.FindIndex(x => x.Kind == RecordKind.Goroutine) is var g and >= 0 && g + 1 < r.Count && r[g + 1] is StackFrameRecord
            ? With(r, g, (GoroutineRecord)r[g] with { Sp = ((GoroutineRecord)r[g]).Sp - 64 }) : null),
        new("defer names another goroutine", "R05", Expect.RejectedByBoth, r => Index(r, RecordKind.Defer) is var i and >= 0 ? With(r, i, (DeferRecord)r[i] with { Goroutine = 0x7ead_0000 }) : null),
        new("defer link to nowhere", "R06", Expect.RejectedByBoth, r => r.FindLastIndex(x => x.Kind == RecordKind.Defer) is var i and >= 0 ? With(r, i, (DeferRecord)r[i] with { Link = 0x7ead_0000 }) : null),
        new("panic names another goroutine", "R07", Expect.RejectedByBoth, r => Index(r, RecordKind.Panic) is var i and >= 0 ? With(r, i, (PanicRecord)r[i] with { Goroutine = 0x7ead_0000 }) : null),
        new("panic link to nowhere", "R08", Expect.RejectedByBoth, r => r.FindLastIndex(x => x.Kind == RecordKind.Panic) is var i and >= 0 ? With(r, i, (PanicRecord)r[i] with { Link = 0x7ead_0000 }) : null),
        new("itab naming an unrecorded type", "R09", Expect.RejectedByBoth, r => Index(r, RecordKind.Itab) is var i and >= 0 ? With(r, i, (ItabRecord)r[i] with { TypeAddress = 8 }) : null),
        new("alloc sample with an unknown bucket", "R10", Expect.RejectedByBoth, r => Index(r, RecordKind.AllocSample) is var i and >= 0 ? With(r, i, (AllocSampleRecord)r[i] with { Bucket = 8 }) : null),
        new("alloc sample outside every object", "R11", Expect.RejectedByBoth, r => Index(r, RecordKind.AllocSample) is var i and >= 0 ? With(r, i, (AllocSampleRecord)r[i] with { Object = 8 }) : null),
        new("finalizer outside every object", "R12", Expect.RejectedByBoth, r => Index(r, RecordKind.Finalizer) is var i and >= 0 ? With(r, i, (FinalizerRecord)r[i] with { Object = 8 }) : null),

        // What the runtime guarantees: strict only.
        new("params byte order flipped", "V13", Expect.StrictOnly, r => With(r, 0, Params(r) with { BigEndian = !Params(r).BigEndian })),
        new("object moved to an address 4 bytes off 8", "V14", Expect.StrictOnly, r => Unreferenced(r, o => o.Contents.Length <= 4096) is var i and >= 0
            ? With(r, i, (ObjectRecord)r[i] with { Address = Params(r).HeapEnd - (ulong)((ObjectRecord)r[i]).Contents.Length - 12 }) : null),
        new("noscan object 4 bytes shorter", "V15", Expect.StrictOnly, r => Unreferenced(r, o => o.Fields.Count == 0 && o.Contents.Length >= 16) is var i and >= 0
            ? With(r, i, (ObjectRecord)r[i] with { Contents = new GoString(((ObjectRecord)r[i]).Contents.Span[..^4].ToArray()) }) : null),
        new("Alloc 8 more than HeapAlloc", "V16", Expect.StrictOnly, r => ChangeMemStats(r, 0, 8)),
        new("HeapReleased above HeapIdle", "V17", Expect.StrictOnly, r => ChangeMemStats(r, 10, (long)(Stats(r).HeapIdle - Stats(r).HeapReleased) + 8192)),
        new("Sys 4 KiB more than its parts", "V18", Expect.StrictOnly, r => ChangeMemStats(r, 2, 4096)),
        new("HeapObjects one fewer than the objects dumped (Mallocs too)", "V19", Expect.StrictOnly, r =>
        {
            // From 1.22 the dump may hold more objects than memstats count (the slots past nelems): no bound to break.
            if (!IsGccgo(r) && !GoVersion.FromParams(Params(r), HeaderVersion.Go17).IsBefore(1, 22))
            {
                return null;
            }

            var claim = (long)r.Count(x => x.Kind == RecordKind.Object) - 1 - (long)Stats(r).HeapObjects;
            return ChangeMemStats(ChangeMemStats(r, 11, claim)!, 4, claim);
        }),
        new("HeapInuse 8 KiB below the objects dumped (HeapIdle takes the rest)", "V19", Expect.StrictOnly, r =>
        {
            var below = (long)r.OfType<ObjectRecord>().Sum(o => (long)o.Contents.Length) - 8192 - (long)Stats(r).HeapInuse;
            return ChangeMemStats(ChangeMemStats(r, 9, below)!, 8, -below);
        }),
        new("a gc goroutine's frames dropped", "S17", Expect.StrictOnly, r => IsGccgo(r) ? null : DropFramesOfFirstGoroutineWithFrames(r)),
        new("gc bss dropped / gccgo given a data record", "S18", Expect.StrictOnly, r => IsGccgo(r)
            ? Inserted(r, Index(r, RecordKind.MemStats), new DataRecord(0x5a0000, new GoString(new byte[8]), []))
            : Without(r, Index(r, RecordKind.Bss))),
        new("heap end 8 KiB short of the arena", "V20", Expect.StrictOnly, r => With(r, 0, Params(r) with { HeapEnd = Params(r).HeapEnd - 8192 })),
        new("the goroutine writing the dump dropped", "S19", Expect.StrictOnly, DropDumpingGoroutine),
        new("a go1.7 header naming go1.6", "S20", Expect.StrictOnly, r => IsGccgo(r) ? null : With(r, 0, Params(r) with { VersionInfo = new GoString("go1.6.4"u8.ToArray()) })),
        new("a 1.22+ header object's fields written the 1.21 way (its type word listed)", "V21", Expect.StrictOnly, r => HeaderObjectFieldAtZero(r)),
        new("os thread dumped twice", "R15", Expect.StrictOnly, r => Index(r, RecordKind.OsThread) is var i and >= 0 ? Inserted(r, i + 1, r[i]) : null),
        new("second goroutine takes the first one's goid", "R16", Expect.StrictOnly, r => IsGccgo(r) || Goroutines(r).Count < 2 ? null
            : ChangeGoroutine(r, 1, g => g with { Goid = Goroutines(r)[0].Goid })),
        new("a finalizer registered twice", "R17", Expect.StrictOnly, r => Index(r, RecordKind.Finalizer) is var i and >= 0 ? Inserted(r, i + 1, r[i]) : null),

        // Controls: what real producers legitimately vary.
        new("objects in reverse order", null, Expect.Control, ReverseObjects),
        new("memprof and alloc samples dropped", null, Expect.Control, r => [.. r.Where(x => x.Kind is not (RecordKind.MemProf or RecordKind.AllocSample))]),
        new("a type record repeated (type cache eviction)", null, Expect.Control, r => Index(r, RecordKind.Type) is var i and >= 0 ? Inserted(r, i + 1, r[i]) : null),
    ];

    /// <summary>The first small object over PtrSize·8·PtrSize bytes with pointer fields of a dump with malloc headers, with a
    /// pointer field added at offset 0 (its header word); null for dumps without malloc headers.</summary>
    private static List<HeapDumpRecord>? HeaderObjectFieldAtZero(List<HeapDumpRecord> r)
    {
        var p = Params(r);
        if (GoVersion.FromParams(p, HeaderVersion.Go17).MallocHeaders != true)
        {
            return null;
        }

        var i = r.FindIndex(x => x is ObjectRecord o && o.Fields.Count > 0 && (ulong)o.Contents.Length > p.PtrSize * p.PtrSize * 8 && o.Contents.Length <= 32768);
        return i < 0 ? null : With(r, i, (ObjectRecord)r[i] with { Fields = new[] { Field.Ptr(0) }.Concat(((ObjectRecord)r[i]).Fields).ToArray() });
    }

    [Fact]
    public void EveryMutantCaught_NoControlRejected()
    {
        var dumps = RealDumpCatalog.All;
        Assert.NotEmpty(dumps); // a missing corpus fails: RealDumpCatalog reads fixtures/real
        // The dumps are independent: both cores take them, and the cells are merged in the dumps' order.
        var cells = new (string Mutant, string Outcome, string? Failure)[dumps.Count][];
        Parallel.For(0, dumps.Count, d => cells[d] = Judge(dumps[d].Id));
        var outcomes = new Dictionary<(string Mutant, string Dump), string>();
        var failures = new List<string>();
        for (var d = 0; d < dumps.Count; d++)
        {
            foreach (var (mutant, outcome, failure) in cells[d])
            {
                outcomes[(mutant, dumps[d].Id)] = outcome;
                if (failure is not null)
                {
                    failures.Add(failure);
                }
            }
        }

        var matrix = Render(outcomes, dumps.Select(d => d.Id).ToList());
        output.WriteLine(matrix);
        if (Environment.GetEnvironmentVariable("GOHEAPDUMP_MATRIX_OUT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, matrix);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        foreach (var m in Mutants)
        {
            Assert.True(outcomes.Any(o => o.Key.Mutant == m.Name && o.Value != "n/a"), $"mutant '{m.Name}' applied to no committed dump");
        }

        var attacked = Mutants.Select(m => m.Rule).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var unattacked = ValidationRules.Catalogue.Select(r => r.Id).Where(id => !attacked.Contains(id)).ToList();
        Assert.True(unattacked.Count == 0, "rules no mutant attacks: " + string.Join(", ", unattacked));
    }

    /// <summary>Every mutant of one dump: its cell of the matrix, and why it failed when it did.</summary>
    private static (string Mutant, string Outcome, string? Failure)[] Judge(string id)
    {
        var records = RealDumpCatalog.Records(id).ToList();
        var writer = new MutantWriter(records);
        var cells = new List<(string, string, string?)>(Mutants.Length);
        foreach (var m in Mutants)
        {
            var mutated = m.Apply(records);
            if (mutated is null)
            {
                cells.Add((m.Name, "n/a", null));
                continue;
            }

            var bytes = writer.ToBytes(mutated);
            bytes = m.Bytes?.Invoke(bytes) ?? bytes;
            var strict = Validate(bytes, ValidationProfile.Strict);
            var lenient = Validate(bytes, ValidationProfile.Default);
            var (ok, why) = m.Expect switch
            {
                Expect.RejectedByBoth => (Names(strict, m.Rule!) && Names(lenient, m.Rule!) && !lenient.Conforms,
                    "both profiles must reject it naming " + m.Rule),
                Expect.StrictOnly => (Names(strict, m.Rule!) && !strict.Conforms && lenient.Conforms,
                    "--strict must reject it naming " + m.Rule + " and the default profile accept it"),
                _ => (strict.Conforms && lenient.Conforms, "both profiles must accept it"),
            };
            cells.Add((m.Name, ok ? (m.Expect == Expect.Control ? "accepted" : "caught") : "MISSED",
                ok ? null : $"{id}: {m.Name}: {why}; strict said [{Summary(strict)}], default said [{Summary(lenient)}]"));
        }

        return [.. cells];
    }

    /// <summary>
    /// <see cref="RecordWriter.ToBytes"/> for the mutants of one dump: a mutant shares all but a few record instances with
    /// the dump, so each record's encoding (<see cref="RecordWriter.Encode(HeapDumpRecord)"/>) is made once and the
    /// mutant's bytes are the header and its records' encodings, which is what ToBytes writes. The intact dump written
    /// both ways must be the same bytes (checked when the writer is made), so a writer that drifted fails the matrix.
    /// </summary>
    private sealed class MutantWriter
    {
        private readonly Dictionary<HeapDumpRecord, byte[]> encoded = new(ReferenceEqualityComparer.Instance);

        public MutantWriter(List<HeapDumpRecord> records)
        {
            foreach (var r in records)
            {
                encoded.TryAdd(r, RecordWriter.Encode(r));
            }

            Assert.True(ToBytes(records).AsSpan().SequenceEqual(RecordWriter.ToBytes(HeaderVersion.Go17, records)),
                "the record encodings joined differ from RecordWriter.ToBytes");
        }

        public byte[] ToBytes(List<HeapDumpRecord> records)
        {
            var header = HeapDumpFormat.HeaderBytes(HeaderVersion.Go17);
            var parts = new byte[records.Count][];
            var length = header.Length;
            for (var i = 0; i < records.Count; i++)
            {
                parts[i] = encoded.TryGetValue(records[i], out var known) ? known : RecordWriter.Encode(records[i]);
                length += parts[i].Length;
            }

            var bytes = new byte[length];
            header.CopyTo(bytes);
            var at = header.Length;
            foreach (var part in parts)
            {
                part.CopyTo(bytes, at);
                at += part.Length;
            }

            return bytes;
        }
    }

    private static ValidationReport Validate(byte[] bytes, ValidationProfile profile) =>
        HeapDumpValidator.Validate(new MemoryStream(bytes), "mutant.dump", new ValidationOptions { Profile = profile });

    private static bool Names(ValidationReport report, string rule) => report.Diagnostics.Any(d => d.Rule.Id == rule);

    private static string Summary(ValidationReport report) =>
        string.Join(", ", report.Diagnostics.Select(d => d.Rule.Id).Distinct().Take(8));

    /// <summary>Rows: mutants; columns: producers (gc release and architecture, gccgo); cells: caught / total that applied.</summary>
    private static string Render(Dictionary<(string Mutant, string Dump), string> outcomes, List<string> dumps)
    {
        var producers = dumps.Select(d => d.Split('/')[0]).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine("| mutant | rule | " + string.Join(" | ", producers.Select(p => p.Replace("-linux-", " ", StringComparison.Ordinal))) + " |");
        sb.AppendLine("|---|---|" + string.Concat(producers.Select(_ => "---|")));
        int caught = 0, missed = 0, na = 0;
        foreach (var m in Mutants)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {m.Name} | {m.Rule ?? "control"} |");
            foreach (var p in producers)
            {
                var cells = outcomes.Where(o => o.Key.Mutant == m.Name && o.Key.Dump.StartsWith(p + "/", StringComparison.Ordinal)).Select(o => o.Value).ToList();
                var applied = cells.Count(c => c != "n/a");
                var good = cells.Count(c => c is "caught" or "accepted");
                caught += good;
                missed += applied - good;
                na += cells.Count - applied;
                sb.Append(applied == 0 ? " n/a |" : string.Create(CultureInfo.InvariantCulture, $" {good}/{applied} |"));
            }

            sb.AppendLine();
        }

        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"\nsensitivity matrix: {Mutants.Length} mutants × {dumps.Count} real dumps: {caught} caught or accepted as expected, {missed} missed, {na} not applicable"));
        return sb.ToString();
    }

    private static ParamsRecord Params(List<HeapDumpRecord> r) => (ParamsRecord)r[0];

    private static MemStatsRecord Stats(List<HeapDumpRecord> r) => (MemStatsRecord)r[Index(r, RecordKind.MemStats)];

    private static bool IsGccgo(List<HeapDumpRecord> r) => Params(r).VersionInfo.ToString() == "unknown";


    private static int Index(List<HeapDumpRecord> r, RecordKind kind) => r.FindIndex(x => x.Kind == kind);

    private static List<GoroutineRecord> Goroutines(List<HeapDumpRecord> r) => [.. r.OfType<GoroutineRecord>()];

    private static List<HeapDumpRecord> With(List<HeapDumpRecord> r, int index, HeapDumpRecord record)
    {
        var copy = new List<HeapDumpRecord>(r) { [index] = record };
        return copy;
    }

    private static List<HeapDumpRecord> Inserted(List<HeapDumpRecord> r, int index, HeapDumpRecord record)
    {
        var copy = new List<HeapDumpRecord>(r);
        copy.Insert(index, record);
        return copy;
    }

    private static List<HeapDumpRecord>? Without(List<HeapDumpRecord> r, int index)
    {
        if (index < 0)
        {
            return null;
        }

        var copy = new List<HeapDumpRecord>(r);
        copy.RemoveAt(index);
        return copy;
    }

    private static List<HeapDumpRecord>? ChangeGoroutine(List<HeapDumpRecord> r, int nth, Func<GoroutineRecord, GoroutineRecord> change)
    {
        var seen = 0;
        for (var i = 0; i < r.Count; i++)
        {
            if (r[i] is GoroutineRecord g && seen++ == nth)
            {
                return With(r, i, change(g));
            }
        }

        return null;
    }

    private static List<HeapDumpRecord>? ChangeMemStats(List<HeapDumpRecord> r, int scalar, long delta)
    {
        var i = Index(r, RecordKind.MemStats);
        if (i < 0)
        {
            return null;
        }

        var m = (MemStatsRecord)r[i];
        var scalars = m.Scalars.ToArray();
        scalars[scalar] = (ulong)((long)scalars[scalar] + delta);
        return With(r, i, new MemStatsRecord(scalars, m.PauseNs, m.NumGC));
    }

    /// <summary>The first object that no finalizer or alloc sample points into (moving or shrinking it breaks no reference).</summary>
    private static int Unreferenced(List<HeapDumpRecord> r, Func<ObjectRecord, bool> filter)
    {
        var pointedAt = r.Select(x => x switch
        {
            FinalizerRecord f => f.Object,
            QueuedFinalizerRecord q => q.Object,
            AllocSampleRecord a => a.Object,
            _ => (ulong?)null,
        }).OfType<ulong>().Order().ToArray();
        for (var i = 0; i < r.Count; i++)
        {
            if (r[i] is ObjectRecord o && filter(o))
            {
                var end = o.Address + (ulong)o.Contents.Length;
                var at = Array.BinarySearch(pointedAt, o.Address);
                var next = at >= 0 ? at : ~at;
                if (next >= pointedAt.Length || pointedAt[next] >= end)
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private static int FirstObjectWithFields(List<HeapDumpRecord> r) => r.FindIndex(x => x is ObjectRecord o && o.Fields.Count > 0);

    private static int FirstFrameWithFields(List<HeapDumpRecord> r) => r.FindIndex(x => x is StackFrameRecord f && f.Fields.Count > 0);

    /// <summary>The depth-1 frame of the first goroutine that has one.</summary>
    private static int SecondFrame(List<HeapDumpRecord> r) => r.FindIndex(x => x is StackFrameRecord { Depth: 1 });

    private static List<HeapDumpRecord>? DropFramesOfFirstGoroutineWithFrames(List<HeapDumpRecord> r)
    {
        var g = r.FindIndex(x => x.Kind == RecordKind.Goroutine);
        while (g >= 0 && (g + 1 >= r.Count || r[g + 1].Kind != RecordKind.StackFrame))
        {
            g = r.FindIndex(g + 1, x => x.Kind == RecordKind.Goroutine);
        }

        if (g < 0)
        {
            return null;
        }

        var copy = new List<HeapDumpRecord>(r);
        while (g + 1 < copy.Count && copy[g + 1].Kind == RecordKind.StackFrame)
        {
            copy.RemoveAt(g + 1);
        }

        return copy;
    }

    /// <summary>The goroutine waiting as "dumping heap" with its frames, defers and panics removed (where there is one).</summary>
    private static List<HeapDumpRecord>? DropDumpingGoroutine(List<HeapDumpRecord> r)
    {
        var g = r.FindIndex(x => x is GoroutineRecord { Status: 4 } d && d.WaitReason.ToString() == "dumping heap");
        if (g < 0)
        {
            return null;
        }

        var copy = new List<HeapDumpRecord>(r);
        copy.RemoveAt(g);
        while (g < copy.Count && copy[g].Kind is RecordKind.StackFrame or RecordKind.Defer or RecordKind.Panic)
        {
            copy.RemoveAt(g);
        }

        return copy;
    }

    private static List<HeapDumpRecord>? ReverseObjects(List<HeapDumpRecord> r)
    {
        var first = Index(r, RecordKind.Object);
        if (first < 0)
        {
            return null;
        }

        var last = r.FindLastIndex(x => x.Kind == RecordKind.Object);
        var copy = new List<HeapDumpRecord>(r);
        copy.Reverse(first, last - first + 1);
        return copy.Skip(first).Take(last - first + 1).All(x => x.Kind == RecordKind.Object) ? copy : null;
    }
}
