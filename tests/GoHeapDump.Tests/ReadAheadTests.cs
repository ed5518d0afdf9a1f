using GoHeapDump.Testing;

namespace GoHeapDump.Tests;

/// <summary>
/// The fast reader with its read-ahead thread (ReadAhead): records, offsets, errors and skipped contents must be
/// exactly those of the synchronous reader, wherever chunk boundaries fall and whatever record straddles them.
/// </summary>
public class ReadAheadTests
{
    private static readonly int[] BufferSizes = [HeapDumpReader.MinimumBufferSize, 37, 64, 1000, 4096, 1 << 16];

    /// <summary>
    /// A dump of every record shape the reader decodes differently, in random sizes: small and large objects
    /// (larger than the small buffers and than a chunk's headroom), frames, long type names, non-minimal
    /// uvarints. Returns the offset of every record, as written.
    /// </summary>
    private static (byte[] Dump, List<long> Offsets) RandomDump(int seed, int records)
    {
        var random = new Random(seed);
        var dump = DumpBytes.WithHeader();
        var offsets = new List<long>();
        offsets.Add(dump.Length);
        dump.Params();
        for (var i = 0; i < records; i++)
        {
            offsets.Add(dump.Length);
            var address = 0xc000000000UL + ((ulong)i * 4096);
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    var size = random.Next(4) == 0 ? random.Next(0, 70_000) : random.Next(0, 200);
                    var contents = new byte[size];
                    random.NextBytes(contents);
                    dump.U(1).U(address).Bytes(contents);
                    _ = size >= 8 ? dump.Fields(0) : dump.Fields();
                    break;
                case 2:
                    dump.Frame(0x7000 + (ulong)i, (ulong)random.Next(3), 0, random.Next(0, 3000), new string('f', random.Next(1, 300)), 0);
                    break;
                case 3:
                    dump.Type(address, (ulong)random.Next(1, 1 << 20), new string('t', random.Next(0, 5000)));
                    break;
                case 4:
                    // An itab with a non-minimal address (its last group continued into a zero group).
                    var encoded = new DumpBytes().U(address).ToArray();
                    encoded[^1] |= 0x80;
                    dump.U(8).Hex(Convert.ToHexString(encoded) + "00").U(7);
                    break;
                default:
                    dump.OtherRoot(new string('r', random.Next(0, 100)), address);
                    break;
            }
        }

        offsets.Add(dump.Length);
        return (dump.Eof().ToArray(), offsets);
    }

    /// <summary>What a caller can see of every record, and how the reading ended.</summary>
    /// <param name="pipe">Bytes per read of a stream that cannot seek (a pipe, as the CLI's standard input); 0: a memory stream.</param>
    private static List<string> Trace(byte[] dump, int bufferSize, bool readAhead, long contentsLimit, int pipe = 0) =>
        Trace(Opener(dump, bufferSize, readAhead, pipe), contentsLimit);

    private static Func<HeapDumpReader> Opener(byte[] dump, int bufferSize, bool readAhead, int pipe = 0) =>
        () => HeapDumpReader.Open(pipe > 0 ? new PipeStream(dump, pipe) : new MemoryStream(dump), leaveOpen: false, bufferSize, readAhead);

    /// <param name="open">Opens the reader.</param>
    /// <param name="contentsLimit">Its <see cref="HeapDumpReader.ContentsLimit"/>.</param>
    /// <param name="skip">After this many records, skip (<see cref="HeapDumpReader.SkipDecoded"/>) to an offset, counting records and long uvarints as read.</param>
    private static List<string> Trace(Func<HeapDumpReader> open, long contentsLimit, (int After, long To, long Records, long NonMinimal)? skip = null,
        Action<HeapDumpReader>? done = null)
    {
        var trace = new List<string>();
        try
        {
            using var reader = open();
            reader.ContentsLimit = contentsLimit;
            while (reader.MoveNext())
            {
                var v = reader.Current;
                var valueOffsets = new List<long>();
                for (var i = 0; i < v.Values.Length; i++)
                {
                    valueOffsets.Add(v.ValueOffset(i));
                }

                var fields = new List<string>();
                foreach (var f in v.Fields)
                {
                    fields.Add($"{f.Kind}@{f.Offset}:{f.Position}:{f.KindPosition}");
                }

                trace.Add($"@{v.Offset}+{v.Length} #{v.Index} {v.Kind} values={string.Join(',', v.Values.ToArray())}@{string.Join(',', valueOffsets)} " +
                    $"contents={(v.ContentsSkipped ? "skipped" : Convert.ToHexString(v.Contents))}/{v.ContentsLength}@{v.ContentsLengthOffset} " +
                    $"text={Convert.ToHexString(v.Text)}/{Convert.ToHexString(v.Text2)} bytes={Convert.ToHexString(v.Bytes)} fields={string.Join(' ', fields)} {v.FieldSummary} nonminimal={v.NonMinimalUvarints}@{v.FirstNonMinimalUvarintOffset}");
                if (skip is { } k && trace.Count == k.After)
                {
                    reader.SkipDecoded(k.To, k.Records, k.NonMinimal);
                }
            }

            trace.Add($"end at {reader.Position} with {reader.NonMinimalUvarintCount} long uvarints, {reader.RecordIndex} records");
            done?.Invoke(reader);
        }
        catch (HeapDumpFormatException e)
        {
            trace.Add($"{e.RuleId} at {e.Offset}, record #{e.RecordIndex} {e.RecordKind}");
        }

        return trace;
    }

    /// <summary>The long uvarints of the traced records (their <c>nonminimal=</c> counts).</summary>
    private static long NonMinimal(IEnumerable<string> trace) =>
        trace.Sum(t => long.Parse(t[(t.IndexOf("nonminimal=", StringComparison.Ordinal) + 11)..t.LastIndexOf('@')], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>On a pipe too (reads of random sizes), against the synchronous reader of the same pipe: skipped contents are then read and dropped instead of seeked past.</summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void MoveNext_RandomDump_RecordsAtTheirWrittenOffsetsAsWithoutReadAhead(int seed, bool pipe)
    {
        var (dump, offsets) = RandomDump(seed, 300);
        var random = new Random(seed);
        foreach (var size in BufferSizes)
        {
            foreach (var limit in new[] { -1L, 5000L })
            {
                var chunk = pipe ? random.Next(1, 100_000) : 0;
                var expected = Trace(dump, size, readAhead: false, limit, chunk);
                var actual = Trace(dump, size, readAhead: true, limit, chunk);
                Assert.Equal(expected, actual);

                // And against what was written, not only against the other mode.
                Assert.StartsWith($"end at {dump.Length} ", actual[^1], StringComparison.Ordinal);
                Assert.Equal(offsets.Select(o => $"@{o}"), actual.SkipLast(1).Select(t => t[..t.IndexOf('+')]));
            }
        }
    }

    /// <summary>
    /// Mostly objects (what the read-ahead thread decodes ahead), with random contents (so that guessed boundaries fall
    /// inside records too), field lists of every summary, long uvarints, offsets over 32 bits and a few other records
    /// (three records in <paramref name="oddOneIn"/> on average; the thread stops decoding a chunk at each).
    /// </summary>
    private static byte[] ObjectsDump(int seed, int objects, int oddOneIn = 50)
    {
        var random = new Random(seed);
        var dump = DumpBytes.WithHeader().Params();
        for (var i = 0; i < objects; i++)
        {
            var address = 0xc000000000UL + ((ulong)i * 64);
            var size = random.Next(20) == 0 ? random.Next(0, 3000) : random.Next(0, 64);
            var contents = new byte[size];
            random.NextBytes(contents);
            var odd = random.Next(oddOneIn);
            var inside = random.Next(oddOneIn) >= 3; // fields inside the contents, as the thread's boundary guess expects
            switch (odd < 3 ? odd : 3)
            {
                case 0:
                    dump.Type(address, 8, "t");
                    break;
                case 1:
                    // A long address uvarint: left to the reader.
                    var encoded = new DumpBytes().U(address).ToArray();
                    encoded[^1] |= 0x80;
                    dump.U(1).Hex(Convert.ToHexString(encoded) + "00").Bytes(contents).Fields();
                    break;
                case 2:
                    dump.U(1).U(address).Bytes(contents).U(1).U(1UL << 40).U(0);
                    break;
                default:
                    dump.U(1).U(address).Bytes(contents);
                    var offset = 0UL;
                    for (var f = random.Next(4); f > 0; f--)
                    {
                        // Offsets of one byte and of two (from 128), decreasing now and then.
                        offset = random.Next(8) == 0 ? (ulong)random.Next(0, 64) : offset + (ulong)random.Next(1, 48);
                        dump.U(random.Next(8) == 0 ? 2UL : 1UL).U(inside && size > 0 ? offset % (ulong)size : offset);
                    }

                    dump.U(0);
                    break;
            }
        }

        return dump.Eof().ToArray();
    }

    [Theory]
    [InlineData(7, 4096, false)]
    [InlineData(8, 1 << 14, false)]
    [InlineData(9, 1 << 16, false)]
    [InlineData(7, 4096, true)]
    [InlineData(9, 1 << 16, true)]
    public void MoveNext_ObjectsDecodedAhead_AsWithoutReadAhead(int seed, int size, bool pipe)
    {
        var dump = ObjectsDump(seed, 30_000);
        foreach (var limit in new[] { -1L, 100L })
        {
            long ahead = 0;
            var actual = Trace(Opener(dump, size, readAhead: true, pipe ? 65536 : 0), limit, done: r => ahead = r.DecodedAheadCount);
            Assert.Equal(Trace(dump, size, readAhead: false, limit), actual);

            // Timing decides how many (the thread decodes only when it is ahead), but this consumer is slow. Chunks hold
            // 16 objects or more (a guess needs 16 in a row).
            Assert.True(ahead > 0, "no record was decoded ahead");
        }
    }

    /// <summary>On a pipe, the input may end inside skipped contents it reads and drops.</summary>
    [Theory]
    [InlineData(4, false)]
    [InlineData(5, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public void MoveNext_RandomDumpCutAnywhere_SameErrorAsWithoutReadAhead(int seed, bool pipe)
    {
        var (dump, _) = RandomDump(seed, 60);
        var random = new Random(seed);
        for (var i = 0; i < 40; i++)
        {
            var cut = dump[..random.Next(HeapDumpFormat.HeaderLength, dump.Length)];
            var size = BufferSizes[random.Next(BufferSizes.Length)];
            var limit = random.Next(2) == 0 ? -1L : pipe ? 100L : 5000L;
            var chunk = pipe ? random.Next(1, 10_000) : 0;
            var actual = Trace(cut, size, readAhead: true, limit, chunk);
            Assert.Equal(Trace(cut, size, readAhead: false, limit, chunk), actual);
            Assert.StartsWith("S07", actual[^1]);
        }
    }

    /// <summary>
    /// A chunk the reader takes while the thread is still decoding it: the reader serves exactly the descriptors published
    /// by then and decodes the rest itself. The thread is held after its first batch in every chunk until the reader has
    /// the chunk, so no chunk is ever decoded whole, and every record served came from a first batch.
    /// </summary>
    [Fact]
    public void MoveNext_ChunkTakenMidDecode_PublishedBatchServedRestDecodedByTheReader()
    {
        var dump = ObjectsDump(10, 30_000, oddOneIn: 5000);
        var held = 0;
        var timedOut = 0;
        var secondBatches = 0;
        var counts = new List<int>();
        long ahead = 0;
        var actual = Trace(
            () =>
            {
                var reader = HeapDumpReader.Open(new MemoryStream(dump), leaveOpen: false, 1 << 14, readAhead: true);
                reader.DecodeAheadProbe = (set, count) =>
                {
                    lock (counts)
                    {
                        counts.Add(count);
                    }

                    if (count > HeapDumpReader.DecodeAheadBatch)
                    {
                        Interlocked.Increment(ref secondBatches); // never: the thread stops when the reader takes the chunk
                    }

                    if (count != HeapDumpReader.DecodeAheadBatch)
                    {
                        return; // a chunk's last batch, short
                    }

                    if (SpinWait.SpinUntil(() => Volatile.Read(ref set.State) != DecodedObjects.Decoding, TimeSpan.FromSeconds(10)))
                    {
                        Interlocked.Increment(ref held);
                    }
                    else
                    {
                        Interlocked.Increment(ref timedOut);
                    }
                };
                return reader;
            },
            -1,
            done: r => ahead = r.DecodedAheadCount);

        Assert.Equal(Trace(dump, 1 << 14, readAhead: false, -1), actual);
        Assert.Equal(0, timedOut);
        Assert.Equal(0, secondBatches);
        Assert.True(held > 0, "the thread never decoded a chunk");
        // A chunk's first batch, or all of a chunk decoded in fewer records: never more.
        Assert.InRange(ahead, 1, counts.Sum(c => Math.Min(c, HeapDumpReader.DecodeAheadBatch)));
    }

    /// <summary>A fault inside decoding ahead (a bug of it, as the input cannot cause one) turns it off; the reader decodes the rest.</summary>
    [Fact]
    public void MoveNext_DecodingAheadFaults_RecordsAsWithoutIt()
    {
        var dump = ObjectsDump(11, 30_000, oddOneIn: 5000);
        var faults = 0;
        long ahead = 0;
        var actual = Trace(
            () =>
            {
                var reader = HeapDumpReader.Open(new MemoryStream(dump), leaveOpen: false, 1 << 14, readAhead: true);
                reader.DecodeAheadProbe = (_, _) =>
                {
                    Interlocked.Increment(ref faults);
                    throw new InvalidOperationException("decoding ahead failed");
                };
                return reader;
            },
            -1,
            done: r => ahead = r.DecodedAheadCount);

        Assert.Equal(Trace(dump, 1 << 14, readAhead: false, -1), actual);
        Assert.Equal(1, faults); // and never again
        Assert.InRange(ahead, 0, HeapDumpReader.DecodeAheadBatch); // at most the batch published before the fault
    }

    /// <summary>
    /// The dumps Go releases wrote (fixtures/real): every record as without reading ahead, and objects decoded ahead in
    /// every dump with enough of them. Chunks of 16 KiB, so that a dump of a few hundred KB has dozens.
    /// </summary>
    [Fact]
    public void MoveNext_RealDumps_ObjectsDecodedAheadAsWithoutReadAhead()
    {
        var decodedIn = 0;
        var real = TestDumps.Real();
        foreach (var dump in real)
        {
            long ahead = 0;
            var actual = Trace(() => HeapDumpReader.Open(new MemoryStream(dump), leaveOpen: false, 1 << 14, readAhead: true), -1,
                done: r => ahead = r.DecodedAheadCount);
            Assert.Equal(Trace(dump, 1 << 14, readAhead: false, -1), actual);
            decodedIn += ahead > 0 ? 1 : 0;
        }

        Assert.True(decodedIn > real.Count / 2, $"objects decoded ahead in {decodedIn} of {real.Count} real dumps");
    }

    /// <summary>
    /// Skipping ahead (the split's SkipDecoded) drops the descriptors of the chunks skipped over; on a pipe, it reads and
    /// drops (no seek). Seeds where objects are decoded ahead after the skip in each mode (how many depends on where chunk
    /// boundaries fall against the odd records, which end a chunk's decoding).
    /// </summary>
    [Theory]
    [InlineData(12, 4096, false)]
    [InlineData(13, 1 << 16, false)]
    [InlineData(12, 4096, true)]
    [InlineData(15, 1 << 16, true)]
    public void SkipDecoded_ObjectsDecodedAhead_AsReadingThrough(int seed, int size, bool pipe)
    {
        var dump = ObjectsDump(seed, 30_000, oddOneIn: 500);
        var through = Trace(dump, size, readAhead: false, 100);
        var offsets = through.SkipLast(1).Select(t => long.Parse(t[1..t.IndexOf('+')], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var random = new Random(seed);
        for (var i = 0; i < 3; i++)
        {
            // A tenth of the records or more left after the skip, for the thread to decode.
            var from = random.Next(1, offsets.Count / 2);
            var to = random.Next(from, offsets.Count * 9 / 10);
            var nonMinimal = NonMinimal(through[from..to]);
            long ahead = 0;
            var skipped = Trace(Opener(dump, size, readAhead: true, pipe ? 65536 : 0), 100, (from, offsets[to], to - from, nonMinimal), r => ahead = r.DecodedAheadCount);
            Assert.Equal([.. through[..from], .. through[to..]], skipped);
            Assert.True(ahead > 0, $"no record was decoded ahead (skip {from}..{to} of {offsets.Count})");
        }
    }

    /// <summary>
    /// The validator's split: a reader that skips records another decoded (SkipDecoded), and one that starts at a record
    /// boundary mid-file (OpenAt), see the records, offsets, indices and counts of a reader reading through.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void SkipDecodedAndOpenAt_AsReadingThrough(int seed)
    {
        var (dump, offsets) = RandomDump(seed, 200);
        var random = new Random(seed);
        foreach (var size in BufferSizes)
        {
            foreach (var readAhead in new[] { false, true })
            {
                foreach (var limit in new[] { -1L, 5000L })
                {
                    var through = Trace(dump, size, readAhead, limit);
                    var from = random.Next(1, 100);
                    var to = random.Next(from, offsets.Count - 1);
                    var nonMinimal = NonMinimal(through[from..to]);
                    var skipped = Trace(() => HeapDumpReader.Open(new MemoryStream(dump), leaveOpen: false, size, readAhead), limit, (from, offsets[to], to - from, nonMinimal));
                    Assert.Equal([.. through[..from], .. through[to..]], skipped);

                    var stream = new MemoryStream(dump) { Position = offsets[to] };
                    var started = Trace(() => HeapDumpReader.OpenAt(stream, HeaderVersion.Go17, offsets[to], to, size), limit);
                    Assert.Equal(through[to..^1], started[..^1]);
                    Assert.StartsWith($"end at {dump.Length} ", started[^1], StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void MoveNext_BytesAfterEofAtAChunkBoundary_TrailingBytes()
    {
        var (dump, _) = RandomDump(6, 50);
        foreach (var extra in new[] { 1, 63, 64, 65, 1000 })
        {
            var longer = dump.Concat(new byte[extra]).ToArray();
            var actual = Trace(longer, 64, readAhead: true, -1);
            Assert.Equal(Trace(longer, 64, readAhead: false, -1), actual);
            Assert.StartsWith($"S09 at {dump.Length}", actual[^1]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MoveNext_ReadFailsOnTheThread_TheErrorSurfacesInOrder(bool pipe)
    {
        var (dump, _) = RandomDump(7, 200);
        var failAt = dump.Length / 2;
        using var reader = HeapDumpReader.Open(pipe ? new BlockingPipe(dump, failAt, fail: true) : new FailingStream(dump, failAt), leaveOpen: false, 256, readAhead: true);
        var lastEnd = 0L;
        var error = Assert.Throws<IOException>(() =>
        {
            while (reader.MoveNext())
            {
                lastEnd = reader.Current.Offset + reader.Current.Length;
            }
        });
        Assert.Equal("disk gone", error.Message);

        // Every record wholly before the failure was returned first.
        Assert.InRange(lastEnd, failAt - 70_000 - 100, failAt);

        // Called again, the reader goes on only with records it had whole (the failing read may have come after
        // enough bytes), each where the last ended, and fails again before the failing offset: never a format error.
        while (true)
        {
            try
            {
                Assert.True(reader.MoveNext());
            }
            catch (IOException)
            {
                break;
            }

            Assert.Equal(lastEnd, reader.Current.Offset);
            lastEnd = reader.Current.Offset + reader.Current.Length;
            Assert.True(lastEnd <= failAt);
        }
    }

    [Fact]
    public void Dispose_MidWay_StopsTheThreadBeforeReturningTheStream()
    {
        var (dump, _) = RandomDump(8, 300);
        var stream = new SlowStream(dump);
        using (var reader = HeapDumpReader.Open(stream, leaveOpen: true, 64, readAhead: true))
        {
            Assert.True(reader.MoveNext());

            // Catch the thread inside a read (each takes 30 ms), then dispose.
            Assert.True(SpinWait.SpinUntil(() => stream.ReadsInProgress > 0, TimeSpan.FromSeconds(10)));
        }

        // The caller has its stream back: no read still running, and none starting later.
        Assert.Equal(0, stream.ReadsInProgress);
        var reads = stream.ReadsStarted;
        Thread.Sleep(100);
        Assert.Equal(reads, stream.ReadsStarted);
    }

    [Fact]
    public void Open_FileOfManyBuffers_ReadsAheadAndDecodesLikeAMemoryStream()
    {
        var (dump, _) = RandomDump(9, 400);
        var path = Path.Combine(Path.GetTempPath(), $"read-ahead-{Guid.NewGuid():N}.dump");
        File.WriteAllBytes(path, dump);
        try
        {
            // The public path: a file of at least four buffers on a machine with two cores or more reads ahead.
            using var reader = HeapDumpReader.Open(path, bufferSize: 4096);
            var offsets = new List<long>();
            while (reader.MoveNext())
            {
                offsets.Add(reader.Current.Offset);
            }

            using var plain = HeapDumpReader.Open(new MemoryStream(dump), leaveOpen: false, 4096, readAhead: false);
            var expected = new List<long>();
            while (plain.MoveNext())
            {
                expected.Add(plain.Current.Offset);
            }

            Assert.Equal(expected, offsets);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_PipeByDefault_NotReadAhead()
    {
        // Only where the caller asks (the CLI for its standard input): a library caller's pipe is read on its thread.
        var (dump, _) = RandomDump(3, 300);
        var stream = new BlockingPipe(dump, dump.Length);
        using (var reader = HeapDumpReader.Open(stream, leaveOpen: true, 64))
        {
            while (reader.MoveNext())
            {
            }
        }

        Assert.False(stream.ReadElsewhere);
    }

    /// <summary>
    /// A pipe whose producer stalls forever: disposing the reader returns at once, leaving the thread in its read; no read
    /// starts after Dispose, and when the stalled read finally returns (bytes or an error) the thread ends quietly: it
    /// decodes and reports nothing more (released, the read completes the last free chunk, after which the thread would
    /// otherwise decode the chunks queued behind the reader).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_ThreadBlockedInAPipeRead_ReturnsPromptly(bool failWhenReleased)
    {
        var dump = ObjectsDump(14, 30_000, oddOneIn: 5000);
        var stream = new BlockingPipe(dump, (4 * 4096) - 100, fail: failWhenReleased, block: true); // inside the last of four 4 KiB chunks
        var reader = HeapDumpReader.Open(stream, leaveOpen: false, 4096, readAhead: true);
        var disposed = false;
        var late = 0;
        reader.DecodeAheadProbe = (_, _) =>
        {
            if (Volatile.Read(ref disposed))
            {
                Interlocked.Increment(ref late);
            }
        };
        Assert.True(reader.MoveNext());
        Assert.True(reader.MoveNext()); // the params: decoding ahead is on
        Assert.True(SpinWait.SpinUntil(() => stream.Blocked, TimeSpan.FromSeconds(10)), "the thread never reached the stall");
        Volatile.Write(ref disposed, true);
        var disposing = Task.Run(reader.Dispose); // on another thread, so that a Dispose that waits fails the test instead of hanging it
        var returned = await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(1))) == disposing;
        if (!returned)
        {
            stream.Release();
        }

        Assert.True(returned, "Dispose took more than a second");
        Assert.Throws<ObjectDisposedException>(() => reader.MoveNext());

        var reads = stream.ReadsStarted;
        stream.Release();
        Assert.True(SpinWait.SpinUntil(() => !stream.Blocked, TimeSpan.FromSeconds(10)));
        Thread.Sleep(100);
        Assert.Equal(reads, stream.ReadsStarted);
        Assert.Equal(0, Volatile.Read(ref late));
    }

    /// <summary>
    /// A stream that cannot seek, serving <c>data</c> up to <c>stallAt</c>: there it throws (<c>fail</c>) or, with
    /// <c>block</c>, waits until <see cref="Release"/> and then throws or serves the rest.
    /// </summary>
    private sealed class BlockingPipe(byte[] data, int stallAt, bool fail = false, bool block = false) : ForwardOnlyStream
    {
        private readonly ManualResetEventSlim _released = new();
        private int _position;
        private int _started;
        private volatile bool _blocked;

        public bool Blocked => _blocked;

        public int ReadsStarted => Volatile.Read(ref _started);

        public void Release() => _released.Set();

        protected override int ReadCore(byte[] buffer, int offset, int count)
        {
            Interlocked.Increment(ref _started);
            if (_position >= stallAt && (block || fail))
            {
                if (block && !_released.IsSet)
                {
                    _blocked = true;
                    _released.Wait();
                    _blocked = false;
                }

                if (fail)
                {
                    throw new IOException("disk gone");
                }
            }

            var end = _position < stallAt && (block || fail) ? stallAt : data.Length;
            var n = Math.Min(count, end - _position);
            Array.Copy(data, _position, buffer, offset, n);
            Volatile.Write(ref _position, _position + n);
            return n;
        }
    }

    /// <summary>A seekable stream whose reads throw <see cref="IOException"/> from <c>failAt</c> on.</summary>
    private sealed class FailingStream(byte[] data, int failAt) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position + count > failAt)
            {
                throw new IOException("disk gone");
            }

            return base.Read(buffer, offset, count);
        }
    }

    /// <summary>A seekable stream whose reads take 30 ms each, and which counts them.</summary>
    private sealed class SlowStream(byte[] data) : MemoryStream(data)
    {
        private int _inProgress;
        private int _started;

        public int ReadsInProgress => Volatile.Read(ref _inProgress);

        public int ReadsStarted => Volatile.Read(ref _started);

        public override int Read(byte[] buffer, int offset, int count)
        {
            Interlocked.Increment(ref _started);
            Interlocked.Increment(ref _inProgress);
            Thread.Sleep(30);
            var read = base.Read(buffer, offset, count);
            Interlocked.Decrement(ref _inProgress);
            return read;
        }
    }
}
