using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using GoHeapDump.Properties.Tests.Generators;

namespace GoHeapDump.Properties.Tests.Properties;

/// <summary>One edit of a dump's bytes.</summary>
public enum MutationKind
{
    /// <summary>Cut the dump at the position.</summary>
    Truncate,

    /// <summary>XOR one byte with a non-zero mask.</summary>
    FlipByte,

    /// <summary>Insert bytes at the position.</summary>
    Insert,

    /// <summary>Delete bytes from the position.</summary>
    Delete,

    /// <summary>Overwrite with the uvarint 2^63 (a hostile length or count), keeping the length of the dump.</summary>
    HugeValue,

    /// <summary>Insert a uvarint of more than 10 bytes (S02 where a value is read).</summary>
    OverlongUvarint,

    /// <summary>Insert a 10-byte uvarint whose last byte exceeds 1 (S03 where a value is read).</summary>
    OverflowUvarint,
}

/// <summary>
/// An edit at a relative position (0..1 of the dump's length, or of its records when <paramref name="AtRecord"/>
/// is set: then at the start of that record, or one byte into it with <paramref name="AfterTag"/>), so it
/// survives shrinking the state.
/// </summary>
public sealed record Mutation(MutationKind Kind, double Where, ImmutableArray<byte> Bytes, bool AtRecord = false, bool AfterTag = false)
{
    public byte[] Apply(byte[] dump)
    {
        ArgumentNullException.ThrowIfNull(dump);
        var pos = Math.Min(dump.Length, (int)(Where * dump.Length));
        if (AtRecord)
        {
            // Record starts as the Kaitai parser finds them (up to the first error, if an earlier edit made one).
            var starts = RecordStarts(dump);
            pos = Math.Min(dump.Length, starts[Math.Min(starts.Count - 1, (int)(Where * starts.Count))] + (AfterTag ? 1 : 0));
        }

        var b = Bytes.IsDefaultOrEmpty ? [0x5a] : Bytes.AsSpan();
        switch (Kind)
        {
            case MutationKind.Truncate:
                return dump[..pos];
            case MutationKind.FlipByte when pos < dump.Length:
                var flipped = (byte[])dump.Clone();
                flipped[pos] ^= b[0] == 0 ? (byte)1 : b[0];
                return flipped;
            case MutationKind.Insert:
                return [.. dump.AsSpan(0, pos), .. b, .. dump.AsSpan(pos)];
            case MutationKind.Delete:
                return [.. dump.AsSpan(0, pos), .. dump.AsSpan(Math.Min(dump.Length, pos + b.Length))];
            case MutationKind.HugeValue:
                byte[] huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
                return [.. dump.AsSpan(0, pos), .. huge, .. dump.AsSpan(Math.Min(dump.Length, pos + huge.Length))];
            case MutationKind.OverlongUvarint:
                return [.. dump.AsSpan(0, pos), .. Enumerable.Repeat((byte)0xff, 10), 0x00, .. dump.AsSpan(pos)];
            case MutationKind.OverflowUvarint:
                return [.. dump.AsSpan(0, pos), .. Enumerable.Repeat((byte)0xff, 9), 0x02, .. dump.AsSpan(pos)];
            default:
                return dump;
        }
    }

    public override string ToString() =>
        $"{Kind} at {Where:P2} of the {(AtRecord ? AfterTag ? "records (after the tag)" : "records" : "bytes")} [{Convert.ToHexString(Bytes.AsSpan())}]";

    private static List<int> RecordStarts(byte[] dump)
    {
        var starts = new List<int> { Math.Min(dump.Length, HeapDumpFormat.HeaderLength) };
        try
        {
            using var reader = GoHeapDump.Kaitai.KaitaiHeapDumpReader.Open(new MemoryStream(dump, writable: false));
            while (reader.Read() is not null)
            {
                starts.Add((int)reader.Position);
            }
        }
        catch (HeapDumpFormatException)
        {
            // The records before the error are enough.
        }

        return starts;
    }
}

/// <summary>
/// A generated state's dump, under the go1.7 header as the writer wrote it or re-encoded by the record-level
/// writer under a go1.5 or go1.6 header (params with a thechar), with edits applied.
/// </summary>
public sealed record MutatedDump(GeneratedState Source, HeaderVersion Version, ImmutableArray<Mutation> Mutations)
{
    public byte[] Bytes() => Mutations.Aggregate(Original(), (bytes, m) => m.Apply(bytes));

    private byte[] Original()
    {
        var bytes = Dumps.Write(Source.State).Bytes;
        if (Version == HeaderVersion.Go17)
        {
            return bytes;
        }

        // The records the writer wrote (all of them, or those before a fatal error), params with thechar '6'.
        var records = Dumps.ParseKaitai(bytes).Records.Select(r => r is ParamsRecord p
            ? ParamsRecord.WithTheChar(p.BigEndian, p.PtrSize, p.HeapStart, p.HeapEnd, (ulong)'6', p.VersionInfo, p.Ncpu)
            : r);
        return GoHeapDump.Reference.RecordWriter.ToBytes(Version, records);
    }

    public override string ToString() => $"{Version} dump, mutations: {string.Join("; ", Mutations)}{Environment.NewLine}of the dump of {Source}";
}

/// <summary>
/// The two parsers of the suite (the Kaitai parser, generated from the .ksy, and the hand-written fast reader,
/// at its default buffer size and at its smallest, where every record straddles a refill; both also over a
/// pipe that returns 7 bytes per read) agree on every
/// generated dump and every mutated one: the same records, then the same end, or the same error (rule,
/// offset, record index and kind).
/// </summary>
public sealed class ParsersAgreeProperties
{
    internal const int QuickCases = 150;

    [Fact]
    public void Parsers_GeneratedDump_ProduceIdenticalRecords() =>
        PropertyRunner.Check(nameof(Parsers_GeneratedDump_ProduceIdenticalRecords), HeapArbitraries.AnyState(), g => Agree(Dumps.Write(g.State).Bytes), QuickCases);

    [Fact]
    public void Parsers_MutatedDump_ProduceIdenticalRecordsAndErrors() =>
        PropertyRunner.Check(nameof(Parsers_MutatedDump_ProduceIdenticalRecordsAndErrors), MutatedDumps(), m => Agree(m.Bytes()), QuickCases * 2);

    /// <summary>The mutations reach the structure rules: over a sample, the Kaitai parser reports every rule a mutation of a complete dump can break.</summary>
    [Fact]
    public void MutatedDumps_Sample_BreakEveryReachableStructureRule()
    {
        var rules = MutatedDumps().Generator.Sample(60, new Rnd(20240601, 1234567), 400)
            .Select(m => Dumps.ParseKaitai(m.Bytes()).Error?.RuleId ?? "none")
            .ToHashSet(StringComparer.Ordinal);

        // S10 is a warning no parser raises.
        string[] expected = ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "none"];
        var missing = expected.Where(r => !rules.Contains(r)).ToList();
        Assert.True(missing.Count == 0, $"no sampled mutation broke {string.Join(", ", missing)}; seen: {string.Join(", ", rules.Order(StringComparer.Ordinal))}");
    }

    private static Arbitrary<MutatedDump> MutatedDumps()
    {
        var states = HeapArbitraries.AnyState();
        var mutation =
            from kind in Gen.Elements(Enum.GetValues<MutationKind>())
            from position in Gen.Choose(0, 1_000_000)
            from length in Gen.Choose(1, 12)
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
            from anchor in Gen.Choose(0, 2)
            select new Mutation(kind, position / 1_000_000.0, [.. bytes], AtRecord: anchor > 0, AfterTag: anchor == 2);
        var gen =
            from g in states.Generator
            from version in Gen.Frequency((4, Gen.Constant(HeaderVersion.Go17)), (1, Gen.Constant(HeaderVersion.Go16)), (1, Gen.Constant(HeaderVersion.Go15)))
            from n in Gen.Choose(1, 3)
            from ms in Gen.ArrayOf(mutation, n)
            select new MutatedDump(g, version, [.. ms]);
        return Arb.From(gen, Shrink);

        IEnumerable<MutatedDump> Shrink(MutatedDump m)
        {
            for (var i = 0; i < m.Mutations.Length && m.Mutations.Length > 1; i++)
            {
                yield return m with { Mutations = m.Mutations.RemoveAt(i) };
            }

            foreach (var smaller in states.Shrinker(m.Source))
            {
                yield return m with { Source = smaller };
            }
        }
    }

    private static void Agree(byte[] bytes)
    {
        var kaitai = Dumps.ParseKaitai(bytes);
        Same("fast reader", kaitai, Dumps.Parse(bytes, s => HeapDumpReader.Open(s)));
        Same("fast reader (smallest buffer)", kaitai, Dumps.Parse(bytes, s => HeapDumpReader.Open(s, bufferSize: HeapDumpReader.MinimumBufferSize)));

        // Pipes: no length, no seeking, short reads. Both parsers must read them as they read files.
        Same("fast reader (pipe, 7-byte reads)", kaitai, Dumps.Parse(bytes, s => HeapDumpReader.Open(new GoHeapDump.Testing.PipeStream(bytes, 7))));
        Same("Kaitai parser (pipe, 7-byte reads)", kaitai, Dumps.Parse(bytes, s => GoHeapDump.Kaitai.KaitaiHeapDumpReader.Open(new GoHeapDump.Testing.PipeStream(bytes, 7))));
    }

    private static void Same(string name, ParseRun kaitai, ParseRun other)
    {
        var diff = Dumps.Diff(kaitai.Records, other.Records);
        if (diff is not null)
        {
            throw new InvalidOperationException($"Kaitai parser and {name} read different records: {diff} (Kaitai: {Describe(kaitai.Error)}; {name}: {Describe(other.Error)})");
        }

        var k = kaitai.Error;
        var o = other.Error;
        if ((k is null) != (o is null) || (k is not null && (k.RuleId != o!.RuleId || k.Offset != o.Offset || k.RecordIndex != o.RecordIndex || k.RecordKind != o.RecordKind)))
        {
            throw new InvalidOperationException($"Kaitai parser and {name} end differently:\n  Kaitai: {Describe(k)}\n  {name}: {Describe(o)}");
        }
    }

    private static string Describe(HeapDumpFormatException? e) =>
        e is null ? "complete (EOF at the end)" : $"{e.RuleId} at offset {e.Offset}, record #{e.RecordIndex} {e.RecordKind?.ToString() ?? "(kind unknown)"}: {e.Message}";
}
