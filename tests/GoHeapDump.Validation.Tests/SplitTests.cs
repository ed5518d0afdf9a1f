using System.Globalization;
using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>
/// The split (FileValidation.Split): a second core checks the later half of a file's objects from a guessed record
/// boundary. Whether its work is joined or dropped, the report must be the one a single pass gives; each case also
/// asserts which of the two happened, so that a split that never joins (or never drops) cannot pass unnoticed.
/// </summary>
public sealed class SplitTests : IDisposable
{
    private const ulong Heap = 0xc000000000;
    private readonly string _directory = Directory.CreateTempSubdirectory("goheapdump-split-").FullName;
    private int _files;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Validates the dump as a file with and without the split and asserts the two reports say the same; returns what became of the split.</summary>
    private string Same(byte[] dump, int cap = 100, long maxMemory = -1, long contentsLimit = 16 << 20,
        ValidationProfile profile = ValidationProfile.Default, int window = 2048, double fraction = 0.5)
    {
        var path = Path.Combine(_directory, $"{_files++}.dump");
        File.WriteAllBytes(path, dump);
        ValidationReport Run(bool split) => HeapDumpValidator.ValidateFile(path, new ValidationOptions
        {
            Profile = profile,
            MaxDiagnosticsPerRule = cap,
            MaxMemory = maxMemory,
            ContentsLimit = contentsLimit,
            Split = split,
            SplitWindow = window,
            SplitFraction = fraction,
        });

        var one = Run(split: false);
        var two = Run(split: true);
        Assert.Null(one.Split);
        Assert.Equal(ObjectLaneTests.Render(one), ObjectLaneTests.Render(two));
        return two.Split ?? "none";
    }

    /// <summary>The offset the split joined at, from its outcome.</summary>
    private static long JoinedAt(string outcome)
    {
        Assert.StartsWith("joined at ", outcome, StringComparison.Ordinal);
        return long.Parse(outcome["joined at ".Length..outcome.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    /// <summary>Params, then <paramref name="count"/> objects as <paramref name="objects"/> writes the i-th, memstats and EOF.</summary>
    private static byte[] Dump(int count, Action<DumpBytes, int> objects, string version = DumpBytes.NeutralVersion, Action<DumpBytes>? before = null)
    {
        var dump = DumpBytes.WithHeader();
        before?.Invoke(dump);
        dump.Params(version: version);
        for (var i = 0; i < count; i++)
        {
            objects(dump, i);
        }

        return dump.MemStats().Eof().ToArray();
    }

    /// <summary>Adjacent 32-byte objects, a pointer at offset 8: one run, no finding.</summary>
    private static void Plain(DumpBytes d, int i) => d.Object(Heap + (32 * (ulong)i), 32, 8);

    [Fact]
    public void CleanObjects_Joined_OneRunAcrossTheBoundary()
    {
        var dump = Dump(3000, Plain);
        var at = JoinedAt(Same(dump));
        Assert.InRange(at, dump.Length / 3, dump.Length * 2 / 3);
        JoinedAt(Same(dump, cap: 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void FindingsInBothHalves_KeptAsOnePassKeepsThem(int cap)
    {
        // Every 97th object breaks something: outside the heap (V03), misaligned (V14), not a size class (V15), a field
        // outside its contents (V05), the start of an object in the other half (V07), or a long uvarint (S10).
        var dump = Dump(4000, (d, i) =>
        {
            var address = Heap + (64 * (ulong)i);
            switch (i % 97 == 0 ? (i / 97) % 6 : -1)
            {
                case 0:
                    d.Object(0x1000 + (ulong)i, 48, 8);
                    break;
                case 1:
                    d.Object(address + 4, 48, 8);
                    break;
                case 2:
                    d.Object(address, 40 + 3, 8);
                    break;
                case 3:
                    d.Object(address, 48, 8, 48);
                    break;
                case 4:
                    d.Object(Heap + (64 * (ulong)(4000 - i)), 48, 8);
                    break;
                case 5:
                    d.U(1).Raw((byte)(0x80 | (address & 0x7f)), 0x80, 0).Zeros(48).Fields(8); // address longer than it needs, and wrong
                    break;
                default:
                    d.Object(address, 48, 8);
                    break;
            }
        }, version: "go1.22.12");

        var outcome = Same(dump, cap, profile: ValidationProfile.Strict);
        var at = JoinedAt(outcome);
        var report = HeapDumpValidator.Validate(new MemoryStream(dump), "one pass", new ValidationOptions { Profile = ValidationProfile.Strict, MaxDiagnosticsPerRule = cap });
        foreach (var rule in new[] { "V03", "V05", "V07", "V14", "V15", "S10" })
        {
            Assert.True(report.CountsByRule.TryGetValue(rule, out var n) && n > 2, $"{rule}: {n}");
        }

        if (cap == 100)
        {
            Assert.Contains(report.Diagnostics, d => d.Offset > at && d.Rule.Id == "V14"); // found by the later half
        }
    }

    /// <summary>3000 plain objects, with what <paramref name="insert"/> writes before the one at <paramref name="at"/>.</summary>
    private static byte[] PlainWith(int at, Action<DumpBytes> insert) => Dump(3000, (d, i) =>
    {
        if (i == at)
        {
            insert(d);
        }

        Plain(d, i);
    });

    [Fact]
    public void StructureErrorInTheLaterHalf_ReportedWhereOnePassMeetsIt()
    {
        JoinedAt(Same(PlainWith(2400, d => d.U(99))));

        // Cut short inside an object of the later half.
        var dump = Dump(3000, Plain);
        JoinedAt(Same(dump[..(dump.Length * 7 / 8)]));
    }

    [Fact]
    public void GoroutineAmidTheLaterObjects_TheLaterHalfStopsThere()
    {
        JoinedAt(Same(PlainWith(2600, d => d.Goroutine(0xc000100000)))); // the 400 objects after the goroutine are the first thread's (S14 each)
    }

    [Fact]
    public void GuessInsideAnObject_Dropped()
    {
        // Each object's contents hold 20 object records of their own: a guess that lands in contents finds them first.
        var fake = DumpBytes.WithHeader();
        for (var j = 0; j < 20; j++)
        {
            fake.Object(Heap + 0x100000 + (16 * (ulong)j), 16);
        }

        var contents = fake.ToArray()[HeapDumpFormat.HeaderLength..];
        var dump = Dump(300, (d, i) => d.U(1).U(Heap + ((ulong)i * 1024)).Bytes([.. contents, .. new byte[1000 - contents.Length]]).Fields(8));

        Assert.StartsWith("dropped: the guess", Same(dump), StringComparison.Ordinal);
    }

    [Fact]
    public void ParamsAfterTheObjectsBegan_Dropped()
    {
        // Objects before the params (S11) are checked without them; the later half began with no params either.
        var dump = Dump(3000, Plain, before: d =>
        {
            for (var i = 0; i < 50; i++)
            {
                d.Object(Heap + 0x200000 + (32 * (ulong)i), 32, 8);
            }
        });

        Assert.StartsWith("dropped: not in the same state", Same(dump), StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryCap_ReachedOrNot_TheSameNote()
    {
        // 100,000 objects apart from each other: one run each, so the table takes a second chunk at run 65,537.
        var dump = Dump(100_000, (d, i) => d.Object(Heap + (16 * (ulong)i), 8));
        var twoChunks = 3 * ObjectTable.ChunkBytes; // the first chunk with the sort's spare, and one more
        JoinedAt(Same(dump, maxMemory: twoChunks));
        Assert.Equal("dropped: the memory cap", Same(dump, maxMemory: twoChunks - 1)); // one pass reaches it in the later half
        Assert.Equal("dropped: the memory cap", Same(dump, maxMemory: twoChunks - 2)); // the later half's own budget
        Assert.Equal("none", Same(dump, maxMemory: 4096)); // capped at the first object: never begun
    }

    [Fact]
    public void SkippedContents_Joined()
    {
        JoinedAt(Same(Dump(3000, Plain), contentsLimit: 16));
    }

    /// <summary>Every dump of the corpus and of fixtures/real, whole and with a byte changed in its later part.</summary>
    [Fact]
    public void CorpusAndRealDumps_SameReport()
    {
        var corpus = TestDumps.Corpus();
        var real = TestDumps.Real();
        var joined = 0;
        foreach (var dump in corpus)
        {
            joined += Same(dump, window: 256).StartsWith("joined", StringComparison.Ordinal) ? 1 : 0;
        }

        // Real dumps hold more than objects (segments, frames, profiles): guesses early in what is left land in objects.
        foreach (var dump in real)
        {
            foreach (var fraction in new[] { 0.05, 0.2, 0.5 })
            {
                joined += Same(dump, window: 4096, fraction: fraction).StartsWith("joined", StringComparison.Ordinal) ? 1 : 0;
            }

            foreach (var where in new[] { 0.3, 0.55, 0.85 })
            {
                var changed = (byte[])dump.Clone();
                changed[(int)(dump.Length * where)] ^= 0x41;
                Same(changed, cap: 2, window: 4096, fraction: 0.1);
            }
        }

        Assert.True(joined > 30, $"the split joined on only {joined} dumps and guesses");
    }
}
