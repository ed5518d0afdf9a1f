using System.Globalization;
using GoHeapDump.Fuzz;
using GoHeapDump.Kaitai;

namespace GoHeapDump.Robustness.Tests;

/// <summary>
/// Every valid dump of the corpus, cut at every point (a stride through the middle of the large ones) and edited
/// by thousands of seeded random flips, insertions and deletions: both parsers and the validator end in
/// acceptance or <see cref="HeapDumpFormatException"/> at an offset inside the input, never another exception,
/// and the two parsers agree (the fuzz targets' checks, Targets/FuzzTargets.cs). A truncation's outcome is
/// also known exactly from the intact file's record boundaries: S08 at a boundary, S07 inside a record.
/// </summary>
public class MutationTests
{
    /// <summary>Dumps up to this size are cut at every point; larger ones at a stride plus their first and last bytes.</summary>
    private const int EveryPointLimit = 64 * 1024;

    public static TheoryData<string> Dumps() => Corpus.Names();

    [Theory]
    [MemberData(nameof(Dumps))]
    public void Intact_BothParsersAndValidator_ReadToTheEnd(string name)
    {
        var dump = Corpus.All[name];
        // Both parsers agreed on every record and on how the dump ended in All's lockstep pass, so an end without an
        // error there is both parsers' (no further pass of each to ask them again).
        var both = FuzzTargets.AllOutcome(dump);
        Assert.True(both.Error is null, $"{name}: {FuzzTargets.Describe(both.Error)} after {both.Count} records");
        Assert.True(both.Count > 1, $"{name}: {both.Count} records");
    }

    // The cuts and the seeded edits are classes of their own (xunit runs a class's cases one after another, classes in
    // parallel): the two long theories take both cores. Nested, they share this class's helpers.

    /// <summary>Every dump cut at every point (a stride through the middle of the large ones).</summary>
    public sealed class Truncation
    {
        [Theory]
        [MemberData(nameof(Dumps), MemberType = typeof(MutationTests))]
        public void Truncated_AtEveryPoint_S08AtRecordBoundariesAndS07Inside(string name)
        {
            var dump = Corpus.All[name];
            var ends = RecordEnds(dump);
            var small = dump.Length <= EveryPointLimit;
            // Small dumps: every point through the fast reader, the first KB, the last 128 bytes and a stride through both
            // parsers. Large ones: the first 2 KB (every record kind starts there), the last bytes and a stride.
            var fastPoints = small ? Enumerable.Range(0, dump.Length) : Edges(dump.Length, 2048, 32).Concat(Stride(dump.Length, 64));
            var bothPoints = name.StartsWith("valid/", StringComparison.Ordinal)
                ? Edges(dump.Length, 256, 64).Concat(Stride(dump.Length, 16))
                : small
                ? Edges(dump.Length, 1024, 128).Concat(Stride(dump.Length, 32))
                : Edges(dump.Length, 512, 2).Concat(Stride(dump.Length, 6));
            // Every point of a small dump is a read of the prefix, quadratic in its size: the cuts are independent, so
            // both cores take them (the first failure is rethrown as it is).
            try
            {
                Parallel.ForEach(fastPoints.Distinct(), cut =>
                {
                    var (count, error) = FastViewsOnly(dump, cut);
                    AssertTruncation(name, dump, ends, cut, count, error, "fast reader");
                });
            }
            catch (AggregateException e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }

            foreach (var cut in bothPoints.Distinct())
            {
                // The parsers in lockstep agree on every record and the error; the Kaitai side's count and error come
                // from that same pass (a separate Kaitai parse of the prefix doubled the cost of the tail cuts).
                var prefix = dump[..cut];
                var kaitai = default(FuzzTargets.Outcome);
                Replay(name, cut, prefix, () => kaitai = FuzzTargets.DifferentialOutcome(prefix));
                AssertTruncation(name, dump, ends, cut, kaitai.Count, kaitai.Error, "Kaitai parser (in lockstep with the fast reader)");
            }
        }
    }

    /// <summary>Every dump under seeded flips, insertions and deletions.</summary>
    public sealed class SeededEdits
    {
        [Theory]
        [MemberData(nameof(Dumps), MemberType = typeof(MutationTests))]
        public void SeededEdits_FlipsInsertionsDeletions_AcceptedOrTypedErrorAndParsersAgree(string name)
        {
            var dump = Corpus.All[name];
            var small = dump.Length <= EveryPointLimit;
            // About 2,700 mutants over the corpus of this branch (2,000 of the seeds, 450 generated, 185 real), plus 60 for
            // each dump of fixtures/valid: many of the small dumps (every kind, every header), fewer of the big.
            var mutants = name.StartsWith("valid/", StringComparison.Ordinal) ? 60
                : dump.Length <= 4096 ? 400 : small ? 150 : dump.Length <= 1 << 20 ? 25 : 10;
            var withKaitai = small ? mutants : 3;
            var seed = StableSeed(name);
            var random = new Random(seed);
            for (var i = 0; i < mutants; i++)
            {
                var edits = new List<string>();
                var mutant = Mutate(dump, random, edits);
                var kaitai = i < withKaitai;
                Replay(name, i, mutant, () =>
                {
                    FuzzTargets.ParseFast(mutant);
                    FuzzTargets.Validate(mutant);
                    if (kaitai)
                    {
                        FuzzTargets.ParseKaitai(mutant);
                        FuzzTargets.Differential(mutant);
                    }
                }, string.Create(CultureInfo.InvariantCulture, $"seed {seed}, mutant {i}: {string.Join("; ", edits)}"));
            }
        }
    }

    /// <summary>Where each record of an intact dump ends, by the Kaitai parser (the fast reader is checked against it).</summary>
    private static List<long> RecordEnds(byte[] dump)
    {
        var ends = new List<long>();
        using var reader = KaitaiHeapDumpReader.Open(new MemoryStream(dump, writable: false));
        while (reader.Read() is not null)
        {
            ends.Add(reader.Position);
        }

        Assert.Equal(dump.Length, ends[^1]);
        return ends;
    }

    /// <summary>
    /// The outcome a cut at <paramref name="cut"/> must have, from the format alone: inside the 16-byte header S07 at
    /// the start of the part cut short (0, 4, 5); at the end of the header or of a record, S08 there after exactly
    /// the records before it; inside a record, S07 after the records before it, at an offset inside that record.
    /// </summary>
    private static void AssertTruncation(string name, byte[] dump, List<long> ends, int cut, long count, HeapDumpFormatException? error, string who)
    {
        var what = string.Create(CultureInfo.InvariantCulture, $"{name} cut at {cut} of {dump.Length}, {who}: {FuzzTargets.Describe(error)}, {count} records");
        Assert.True(error is not null, what);
        if (cut < HeapDumpFormat.HeaderLength)
        {
            Assert.True(error.RuleId == "S07" && error.Offset == (cut < 4 ? 0 : cut < 5 ? 4 : 5) && error.RecordIndex == -1, what);
            return;
        }

        // The records that end at or before the cut (ends is ascending).
        var at = ends.BinarySearch(cut);
        var complete = at >= 0 ? at + 1 : ~at;
        var recordStart = complete == 0 ? HeapDumpFormat.HeaderLength : ends[complete - 1];
        Assert.True(count == complete, what + string.Create(CultureInfo.InvariantCulture, $"; expected {complete} records"));
        Assert.True(error.RecordIndex == complete, what + string.Create(CultureInfo.InvariantCulture, $"; expected record #{complete}"));
        if (cut == recordStart)
        {
            Assert.True(error.RuleId == "S08" && error.Offset == cut, what + "; expected S08 at the cut");
        }
        else
        {
            Assert.True(error.RuleId == "S07" && error.Offset > recordStart && error.Offset <= cut,
                what + string.Create(CultureInfo.InvariantCulture, $"; expected S07 in ({recordStart}, {cut}]"));
        }
    }

    /// <summary>The fast reader's allocation-free path on a prefix: records read and the error that ended it.</summary>
    private static (long Count, HeapDumpFormatException? Error) FastViewsOnly(byte[] dump, int cut)
    {
        long count = 0;
        try
        {
            using var reader = HeapDumpReader.Open(new MemoryStream(dump, 0, cut, writable: false));
            while (reader.MoveNext())
            {
                count++;
            }

            return (count, null);
        }
        catch (HeapDumpFormatException e)
        {
            return (count, e);
        }
    }

    private static void Replay(string name, int index, byte[] input, Action check, string? how = null)
    {
        try
        {
            check();
        }
        catch (Exception e)
        {
            // Keep the failing input for `run-fuzz replay FILE` and for pinning under regressions/.
            var path = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture,
                $"goheapdump-mutant-{name.Replace('/', '_')}-{index}.bin"));
            File.WriteAllBytes(path, input);
            Assert.Fail($"{name} #{index} ({how ?? "truncation"}); input saved to {path}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>One to three edits: bit flips, special bytes, insertions (random bytes, 10-byte and hostile uvarints), deletions, copies.</summary>
    internal static byte[] Mutate(byte[] dump, Random random, List<string> edits)
    {
        var bytes = new List<byte>(dump);
        var n = 1 + random.Next(3);
        for (var k = 0; k < n; k++)
        {
            var at = random.Next(Math.Max(1, bytes.Count));
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    var bit = random.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    edits.Add(string.Create(CultureInfo.InvariantCulture, $"flip bit {bit} at {at}"));
                    break;
                case 1 when bytes.Count > 0:
                    byte[] special = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0x11, 0x12];
                    var value = special[random.Next(special.Length)];
                    bytes[at] = value;
                    edits.Add(string.Create(CultureInfo.InvariantCulture, $"set {at} to 0x{value:x2}"));
                    break;
                case 2:
                    var insert = new byte[1 + random.Next(16)];
                    random.NextBytes(insert);
                    bytes.InsertRange(at, insert);
                    edits.Add(string.Create(CultureInfo.InvariantCulture, $"insert {insert.Length} random bytes at {at}"));
                    break;
                case 3:
                    byte[][] varints =
                    [
                        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // 2^63: 10 bytes
                        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40], // 2^62
                        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 2^64 - 1
                        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], // overflow
                        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // 11 bytes
                        [0x80, 0x80, 0x80, 0x80, 0x08], // 2^31
                        [0x80, 0x00], // non-minimal 0
                    ];
                    var varint = varints[random.Next(varints.Length)];
                    bytes.InsertRange(at, varint);
                    edits.Add(string.Create(CultureInfo.InvariantCulture, $"insert uvarint {Convert.ToHexString(varint)} at {at}"));
                    break;
                case 4 when bytes.Count > 1:
                    var count = Math.Min(1 + random.Next(64), bytes.Count - at);
                    bytes.RemoveRange(at, count);
                    edits.Add(string.Create(CultureInfo.InvariantCulture, $"delete {count} bytes at {at}"));
                    break;
                case 5 when bytes.Count > 1:
                    var from = random.Next(bytes.Count);
                    var length = Math.Min(1 + random.Next(64), bytes.Count - from);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    edits.Add(string.Create(CultureInfo.InvariantCulture, $"copy {length} bytes from {from} to {at}"));
                    break;
                default:
                    var keep = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    edits.Add(string.Create(CultureInfo.InvariantCulture, $"cut at {keep}"));
                    break;
            }
        }

        return [.. bytes];
    }

    private static IEnumerable<int> Edges(int length, int head, int tail) =>
        Enumerable.Range(0, Math.Min(head, length)).Concat(Enumerable.Range(Math.Max(0, length - tail), Math.Min(tail, length)));

    private static IEnumerable<int> Stride(int length, int points) =>
        Enumerable.Range(0, points).Select(i => (int)((long)length * i / points));

    /// <summary>A seed from the dump's name (string.GetHashCode is randomized per process).</summary>
    private static int StableSeed(string name)
    {
        var hash = 17;
        foreach (var c in name)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash & 0x7fffffff;
    }
}
