using System.Globalization;
using System.Text;
using GoHeapDump.Kaitai;
using GoHeapDump.Testing;

namespace GoHeapDump.Cli.Tests;

/// <summary>
/// The segmented Kaitai parse (SegmentedKaitaiParse): segments parsed on other threads from guessed boundaries, written
/// in order once verified. Its output and its exception must be what one Kaitai reader gives, whatever the guesses; each
/// case also asserts what became of the segments, so that segments that never join (or a fallback never taken) cannot
/// pass unnoticed.
/// </summary>
public sealed class SegmentedKaitaiParseTests : IDisposable
{
    private const ulong Heap = 0xc000000000;
    private readonly string _directory = Directory.CreateTempSubdirectory("goheapdump-segments-").FullName;
    private int _files;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>One Kaitai reader, rendered as <c>parse</c> renders: the lines, then the error line; and the exception.</summary>
    private static (string Lines, string? Error) OneReader(string path)
    {
        using var bytes = new MemoryStream();
        string? error = null;
        using (var jsonl = new CanonicalJsonlWriter(bytes, leaveOpen: true))
        {
            try
            {
                using var reader = KaitaiHeapDumpReader.Open(path);
                jsonl.WriteHeader(reader.Version);
                while (reader.Read() is { } record)
                {
                    jsonl.WriteRecord(record);
                }
            }
            catch (HeapDumpFormatException e)
            {
                jsonl.WriteError(e);
                error = e.Message;
            }
        }

        return (Encoding.UTF8.GetString(bytes.ToArray()), error);
    }

    /// <summary>Parses <paramref name="dump"/> in segments and asserts the same lines and error as one reader; returns what became of the segments.</summary>
    private string Same(byte[] dump, long segmentBytes, int partBytes = SegmentedKaitaiParse.DefaultPartBytes)
    {
        var path = Path.Combine(_directory, $"{_files++}.dump");
        File.WriteAllBytes(path, dump);
        var expected = OneReader(path);

        using var bytes = new MemoryStream();
        string? error = null;
        var outcome = "no outcome";
        using (var jsonl = new CanonicalJsonlWriter(bytes, leaveOpen: true))
        {
            try
            {
                SegmentedKaitaiParse.Write(path, jsonl, bytes, segmentBytes, partBytes, o => outcome = o);
            }
            catch (HeapDumpFormatException e)
            {
                jsonl.WriteError(e);
                error = e.Message;
            }
        }

        var lines = Encoding.UTF8.GetString(bytes.ToArray());
        Assert.Equal(expected.Error, error);
        if (lines != expected.Lines)
        {
            Assert.Fail($"the segments ({outcome}) rendered other lines than one reader:\n{Fixtures.TextDiff.Render(expected.Lines, lines)}");
        }

        return outcome;
    }

    private static int Segments(string outcome)
    {
        Assert.EndsWith(" segments", outcome, StringComparison.Ordinal);
        return int.Parse(outcome[..outcome.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    private static long OneReaderFrom(string outcome, out int segments)
    {
        Assert.StartsWith("one reader from offset ", outcome, StringComparison.Ordinal);
        var words = outcome.Split(' ');
        segments = int.Parse(words[6], CultureInfo.InvariantCulture);
        return long.Parse(words[4], CultureInfo.InvariantCulture);
    }

    /// <summary>Params, then <paramref name="count"/> objects as <paramref name="objects"/> writes the i-th, then <paramref name="after"/>, memstats and EOF.</summary>
    private static byte[] Dump(int count, Action<DumpBytes, int> objects, Action<DumpBytes>? after = null)
    {
        var dump = DumpBytes.WithHeader();
        dump.Type(0x4c0000, 16, "main.node").Itab(0x4d0000, 0x4c0000).Params();
        for (var i = 0; i < count; i++)
        {
            objects(dump, i);
        }

        after?.Invoke(dump);
        return dump.MemStats().Eof().ToArray();
    }

    /// <summary>Adjacent 32-byte objects with a pointer at offset 8.</summary>
    private static void Plain(DumpBytes d, int i) => d.Object(Heap + (32 * (ulong)i), 32, 8);

    [Fact]
    public void CleanObjects_EverySegmentJoins()
    {
        var dump = Dump(4000, Plain);
        Assert.InRange(Segments(Same(dump, segmentBytes: 4096)), 30, 60);
        Assert.InRange(Segments(Same(dump, segmentBytes: 50_000)), 2, 5);
    }

    [Fact]
    public void SmallParts_SegmentsHandTheirLinesOverInParts()
    {
        // Parts of 300 bytes of JSONL: every segment hands over many, and waits while two wait to be written.
        var dump = Dump(4000, Plain);
        Assert.InRange(Segments(Same(dump, segmentBytes: 8192, partBytes: 300)), 15, 30);
    }

    [Fact]
    public void HugeRecords_WrittenByTheirWorkersInTurn()
    {
        // Every 7th object's line passes the part size: its worker writes it to the output itself when its turn comes.
        var dump = Dump(4000, (d, i) => d.Object(Heap + (1024 * (ulong)i), i % 7 == 0 ? 1000 : 32, 8));
        Assert.InRange(Segments(Same(dump, segmentBytes: 16_384, partBytes: 1500)), 20, 60);

        // The same with a format error past the middle: the fallback stops workers waiting for their turn.
        var at = dump.Length * 3 / 5;
        while (dump[at] != 1)
        {
            at++;
        }

        dump[at] = 0x41;
        OneReaderFrom(Same(dump, segmentBytes: 16_384, partBytes: 1500), out var segments);
        Assert.True(segments > 5);
    }

    [Fact]
    public void RecordsAfterTheObjects_TheLastSegmentRunsThroughThem()
    {
        // 60 KB of goroutines and frames after the objects: no guess finds objects there.
        var dump = Dump(3000, Plain, d =>
        {
            for (var i = 0; i < 600; i++)
            {
                d.Goroutine(0xc000400000 + ((ulong)i * 0x100), goid: (ulong)i + 1).Frame(0xc000500000 + ((ulong)i * 0x100), 0, 0, 48, "main.worker", 8);
            }
        });
        Assert.InRange(Segments(Same(dump, segmentBytes: 4096, partBytes: 2000)), 15, 40);
    }

    [Fact]
    public void ObjectLargerThanTheWindow_NoSegmentBeginsInside()
    {
        // A 40 KB object amid small ones: the guesses inside it find nothing, and the segment before it runs on.
        var dump = Dump(3000, (d, i) =>
        {
            if (i == 1500)
            {
                d.Object(Heap + 0x1000000, 40_000, 8, 16, 4096);
            }

            Plain(d, i);
        });
        Assert.InRange(Segments(Same(dump, segmentBytes: 4096)), 20, 40);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void FormatErrorInASegment_OneReaderFromItsStart_SameErrorAndIndex(double where)
    {
        var dump = Dump(4000, Plain);
        var at = (int)(dump.Length * where);
        while (dump[at] != 1)
        {
            at++; // a tag byte, most likely: the record becomes unknown tag 0x41
        }

        dump[at] = 0x41;
        var from = OneReaderFrom(Same(dump, segmentBytes: 4096), out var segments);
        Assert.InRange(from, at - 8192, at);
        Assert.True(segments > 0);
    }

    [Fact]
    public void CutShort_OneReaderMeetsTheTruncation()
    {
        var dump = Dump(4000, Plain);
        OneReaderFrom(Same(dump[..(dump.Length * 2 / 3)], segmentBytes: 4096), out var segments);
        Assert.True(segments > 5);
    }

    [Fact]
    public void BytesAfterTheEofRecord_OneReaderMeetsThem()
    {
        var dump = Dump(4000, Plain);
        OneReaderFrom(Same([.. dump, 0, 0], segmentBytes: 4096), out var segments);
        Assert.True(segments > 5);
    }

    [Fact]
    public void GuessInsideAnObject_OneReaderFromTheLastBoundary()
    {
        // Each object's contents hold 20 object records of their own: a guess that lands in contents finds them first,
        // and the segment before it ends past it.
        var fake = DumpBytes.WithHeader();
        for (var j = 0; j < 20; j++)
        {
            fake.Object(Heap + 0x100000 + (16 * (ulong)j), 16);
        }

        var contents = fake.ToArray()[HeapDumpFormat.HeaderLength..];
        var dump = Dump(300, (d, i) => d.U(1).U(Heap + ((ulong)i * 1024)).Bytes([.. contents, .. new byte[1000 - contents.Length]]).Fields(8));
        // The first segment (from the params record's end, a known boundary) joins; the one after it does not.
        var from = OneReaderFrom(Same(dump, segmentBytes: 8192), out var segments);
        Assert.Equal(1, segments);
        Assert.True(from > 8192);
    }

    [Fact]
    public void NoParamsFirst_OneReader()
    {
        var dump = DumpBytes.WithHeader();
        for (var i = 0; i < 2000; i++)
        {
            dump.OtherRoot("root", (ulong)i);
        }

        Assert.Equal("one reader: no params record first, or too little after it", Same(dump.Params().Eof().ToArray(), segmentBytes: 4096));
    }

    /// <summary>The command itself: a file of 8 segments or more is parsed in segments, to the same output.</summary>
    [Fact]
    public void ParseCommand_LargeFile_SegmentedToTheSameOutput()
    {
        var dump = Dump(200_000, (d, i) => d.Object(Heap + (48 * (ulong)i), 48, 8, 24));
        var path = Path.Combine(_directory, "large.dump");
        File.WriteAllBytes(path, dump);
        Assert.True(SegmentedKaitaiParse.Applies(path) || Environment.ProcessorCount < 2);

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, Commands.ParseCommand.Run(path, fast: false, () => Stream.Null, stdout, stderr));
        Assert.Equal(OneReader(path).Lines, stdout.ToString());
        Assert.Empty(stderr.ToString());
    }

    /// <summary>Every dump of the corpus and of fixtures/real, whole and with a byte changed.</summary>
    [Fact]
    public void CorpusAndRealDumps_SameLinesAndErrors()
    {
        var corpus = TestDumps.Corpus();
        var real = TestDumps.Real();
        var joined = 0;
        foreach (var dump in corpus)
        {
            joined += Same(dump, segmentBytes: 1024, partBytes: 4096).EndsWith(" segments", StringComparison.Ordinal) ? 1 : 0;
        }

        // One changed byte per real dump, at 30, 55 or 85 % in turn: every place is tried on a third of the dumps
        // (three changes per dump made this the slowest test of the default run).
        double[] places = [0.3, 0.55, 0.85];
        for (var i = 0; i < real.Count; i++)
        {
            var dump = real[i];
            var outcome = Same(dump, segmentBytes: 16_384, partBytes: 65_536);
            joined += outcome.EndsWith(" segments", StringComparison.Ordinal) && Segments(outcome) > 1 ? 1 : 0;
            var changed = (byte[])dump.Clone();
            changed[(int)(dump.Length * places[i % places.Length])] ^= 0x41;
            Same(changed, segmentBytes: 16_384, partBytes: 65_536);
        }

        Assert.True(joined > 20, $"segments joined on only {joined} dumps");
    }
}
