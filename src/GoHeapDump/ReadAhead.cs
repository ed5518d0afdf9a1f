using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace GoHeapDump;

/// <summary>
/// Reads an input ahead on a second thread, in chunks, so that the kernel's copy of a file or a pipe into memory
/// (about a sixth of a whole-file validation on one core) overlaps with decoding on the other core.
/// </summary>
/// <remarks>
/// <para>Each chunk buffer keeps <see cref="Headroom"/> bytes free in front of its data. The reader hands its
/// unfinished record's tail over by copying it into that room and takes the whole chunk as its buffer
/// (<see cref="TakeChunk"/>), so the bulk of the input is never copied in user space. A tail larger than the
/// room (a record bigger than the headroom) falls back to copying from chunks (<see cref="Read"/>).</para>
/// <para>Memory is bounded: <see cref="Depth"/> chunks in flight plus the two the reader may hold (its buffer and
/// the chunk it copies from), and for each chunk buffer one 32-byte descriptor per 32 bytes of chunk once it has been
/// decoded ahead. The thread only ever waits for a free buffer or for the stream; stopping it waits for one read (or
/// one chunk's decoding) at most. A pipe's read can block forever, so on an input that cannot seek, skips read and drop
/// (the thread is never stopped before the end) and disposing leaves a thread caught inside a read behind: it ends when
/// the read returns, touching nothing but its own buffer (see <see cref="Dispose"/>).</para>
/// <para>When it has no free buffer to fill, the thread decodes the object records of a queued chunk instead
/// (<see cref="DecodeWaitingChunk"/>, HeapDumpReader.DecodeAhead.cs): the reader then copies their fields instead of
/// decoding them, and the two cores share the decoding.</para>
/// </remarks>
internal sealed class ReadAhead : IDisposable
{
    /// <summary>Chunks read ahead of the reader.</summary>
    private const int Depth = 2;

    // Decoding ahead (see HeapDumpReader.DecodeAhead.cs): each buffer's descriptors (one set per buffer, which names its
    // buffer), and the heap range that tells object records from other bytes (set once the params record is read).
    private readonly DecodedObjects[] _sets;
    private long _queued;
    private volatile bool _decodeAhead;
    private ulong _heapStart;
    private ulong _heapEnd;
    private long _contentsLimit;

    private readonly Stream _stream;
    private readonly bool _canSeek;
    private readonly long _streamStart;

    // Whether the thread is inside a read of the stream, and whether it has been told to stop: changed together under
    // _gate, so that after Dispose no read starts and a read still running is known (see Dispose).
    private readonly Lock _gate = new();
    private bool _inRead;
    private bool _stopping;
    private readonly BlockingCollection<byte[]> _free = new();
    private readonly BlockingCollection<Chunk> _filled = new();
    private CancellationTokenSource _stop = new();
    private Thread? _thread;

    // The chunk Read copies from, and the index of its first byte not yet handed out.
    private Chunk _current;
    private int _currentStart;
    private long _handedOut;
    private Exception? _error;

    public ReadAhead(Stream stream, int chunkSize)
    {
        _stream = stream;
        _canSeek = stream.CanSeek;
        _streamStart = _canSeek ? stream.Position : 0;
        ChunkSize = chunkSize;
        Headroom = Math.Min(chunkSize, 1 << 16);
        _sets = new DecodedObjects[Depth + 2];
        for (var i = 0; i < _sets.Length; i++)
        {
            var buffer = GC.AllocateUninitializedArray<byte>(Headroom + chunkSize);
            // One descriptor per 32 bytes of chunk (a fifth more than the 37-byte objects of a typical heap need): 1 MiB
            // of them per 1 MiB chunk. A chunk of smaller objects has its rest decoded by the reader.
            _sets[i] = new DecodedObjects(buffer, Math.Max(HeapDumpReader.DecodeAheadBatch, chunkSize / 32));
            _free.Add(buffer);
        }

        Start();
    }

    /// <summary>Bytes of input per chunk.</summary>
    public int ChunkSize { get; }

    /// <summary>Free bytes in front of each chunk's data, for the tail of the record the reader was decoding.</summary>
    public int Headroom { get; }

    /// <summary>Every byte of the input has been handed out.</summary>
    public bool Ended { get; private set; }

    /// <summary>
    /// Hands over the next unread bytes as a whole buffer, the data at [<paramref name="start"/>, <paramref name="end"/>),
    /// when at least <paramref name="keep"/> bytes are free before them; null at the input's end or when the
    /// room is too small. The caller owns the buffer until it gives it back with <see cref="Recycle"/>.
    /// </summary>
    public byte[]? TakeChunk(int keep, out int start, out int end)
    {
        start = end = 0;
        if (!EnsureCurrent() || keep > _currentStart)
        {
            return null;
        }

        var chunk = _current;
        start = _currentStart;
        end = Headroom + chunk.Count;
        _handedOut += end - start;
        _current = default;
        Ended = chunk.Last;
        return chunk.Buffer;
    }

    /// <summary>Copies the next unread bytes into <paramref name="destination"/>; 0 only at the input's end (as <see cref="Stream.Read(Span{byte})"/>).</summary>
    public int Read(Span<byte> destination)
    {
        if (destination.IsEmpty || !EnsureCurrent())
        {
            return 0;
        }

        var count = Math.Min(destination.Length, Headroom + _current.Count - _currentStart);
        _current.Buffer.AsSpan(_currentStart, count).CopyTo(destination);
        _currentStart += count;
        _handedOut += count;
        return count;
    }

    /// <summary>
    /// Skips <paramref name="count"/> bytes of input: drops what was read ahead and seeks past the rest, or, on an input
    /// that cannot seek (a pipe), drops chunks as they arrive. Returns how many of them the input did not have (a pipe
    /// that ends first; a seekable input's length is the caller's to check).
    /// </summary>
    public long Skip(long count)
    {
        while (count > 0 && EnsureCurrent())
        {
            var inChunk = (int)Math.Min(count, Headroom + _current.Count - _currentStart);
            _currentStart += inChunk;
            _handedOut += inChunk;
            count -= inChunk;
            if (_canSeek)
            {
                break;
            }
        }

        if (!_canSeek || count == 0 || Ended)
        {
            return _canSeek ? 0 : count;
        }

        Stop();
        _handedOut += count;
        _stream.Seek(_streamStart + _handedOut, SeekOrigin.Begin);
        Start();
        return 0;
    }

    /// <summary>Starts decoding object records ahead, for a dump whose heap is [<paramref name="heapStart"/>, <paramref name="heapEnd"/>).</summary>
    public void DecodeAhead(ulong heapStart, ulong heapEnd, long contentsLimit)
    {
        _heapStart = heapStart;
        _heapEnd = heapEnd;
        _contentsLimit = contentsLimit;
        _decodeAhead = true;
    }

    /// <summary>Called on the thread each time it publishes descriptors, with their count (tests).</summary>
    internal Action<DecodedObjects, int>? Probe { get; set; }

    /// <summary>
    /// The records decoded ahead in a buffer just taken (<see cref="TakeChunk"/>) and how many (<paramref name="count"/>),
    /// or null when there are none. The thread stops decoding the buffer if it is still at it; the descriptors it had
    /// published by then are the reader's.
    /// </summary>
    public DecodedObjects? TakeDecoded(byte[] buffer, out int count)
    {
        count = 0;
        if (SetOf(buffer) is not { } set)
        {
            return null;
        }

        var state = Interlocked.Exchange(ref set.State, DecodedObjects.Taken);
        if (state is not (DecodedObjects.Decoding or DecodedObjects.Done))
        {
            return null;
        }

        count = Volatile.Read(ref set.Count);
        return count > 0 ? set : null;
    }

    /// <summary>
    /// On the thread, when no buffer is free: decodes the newest chunk waiting in the queue that nobody has claimed (the
    /// furthest from the reader, which takes the oldest next). False when there is none.
    /// </summary>
    private bool DecodeWaitingChunk()
    {
        if (!_decodeAhead)
        {
            return false;
        }

        DecodedObjects? newest = null;
        foreach (var candidate in _sets)
        {
            if (Volatile.Read(ref candidate.State) == DecodedObjects.Waiting && candidate.Bytes > 0
                && (newest is null || candidate.Sequence > newest.Sequence))
            {
                newest = candidate;
            }
        }

        if (newest is null || Interlocked.CompareExchange(ref newest.State, DecodedObjects.Decoding, DecodedObjects.Waiting) != DecodedObjects.Waiting)
        {
            return newest is not null; // taken meanwhile: look again
        }

        newest.Limit = _contentsLimit;
        try
        {
            newest.EnsureItems();
            HeapDumpReader.DecodeObjects(newest.Buffer.AsSpan(0, Headroom + newest.Bytes), Headroom, _heapStart, _heapEnd, newest, Probe);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault here is a bug of decoding ahead, not of the input: the descriptors published so far were checked
            // as they were written, and the reader decodes the rest itself, as it decodes everything without this.
            _decodeAhead = false;
        }

        Interlocked.CompareExchange(ref newest.State, DecodedObjects.Done, DecodedObjects.Decoding);
        return true;
    }

    /// <summary>Gives back a buffer from <see cref="TakeChunk"/> for the thread to fill again.</summary>
    public void Recycle(byte[] buffer)
    {
        if (buffer.Length == Headroom + ChunkSize)
        {
            if (SetOf(buffer) is { } set)
            {
                // Consumed by copies (Read) or dropped (Stop): not a chunk to decode any more.
                Volatile.Write(ref set.State, DecodedObjects.Idle);
            }

            _free.Add(buffer);
        }
    }

    /// <summary>
    /// Stops the thread. One caught inside a read of an input that cannot seek is not waited for (a pipe's read can block
    /// forever): it is a background thread, and when its read returns it ends without reading, decoding or reporting
    /// anything more (an exception from that read goes to a queue nobody takes from); the buffer it reads into is one of
    /// this read-ahead's own, which nobody is given again.
    /// </summary>
    public void Dispose()
    {
        bool reading;
        lock (_gate)
        {
            _stopping = true;
            reading = _inRead;
        }

        if (reading && !_canSeek)
        {
            _stop.Cancel();
            _thread = null; // abandoned, with the collections it may still see: the garbage collector has them after it
            return;
        }

        Stop();
        _stop.Dispose();
        _free.Dispose();
        _filled.Dispose();
    }

    /// <summary>Makes <see cref="_current"/> a chunk with unread bytes, waiting for the thread; false at the input's end.</summary>
    private bool EnsureCurrent()
    {
        if (_current.Buffer is not null)
        {
            if (_currentStart < Headroom + _current.Count)
            {
                return true;
            }

            Ended = _current.Last;
            Recycle(_current.Buffer);
            _current = default;
        }

        if (_error is not null)
        {
            ExceptionDispatchInfo.Throw(_error);
        }

        while (!Ended)
        {
            var chunk = _filled.Take();
            if (chunk.Error is not null)
            {
                _error = chunk.Error;
                ExceptionDispatchInfo.Throw(_error);
            }

            if (chunk.Count == 0)
            {
                Recycle(chunk.Buffer);
                Ended = chunk.Last;
                continue;
            }

            _current = chunk;
            _currentStart = Headroom;
            return true;
        }

        return false;
    }

    private void Start()
    {
        _thread = new Thread(Fill) { IsBackground = true, Name = "heap dump read-ahead" };
        _thread.Start(_stop.Token);
    }

    /// <summary>Stops the thread (waiting for a read in progress) and drops what it read ahead.</summary>
    private void Stop()
    {
        if (_thread is null)
        {
            return;
        }

        _stop.Cancel();
        _thread.Join();
        _thread = null;
        _stop.Dispose();
        _stop = new CancellationTokenSource();
        while (_filled.TryTake(out var chunk))
        {
            Recycle(chunk.Buffer);
        }

        if (_current.Buffer is not null)
        {
            Recycle(_current.Buffer);
            _current = default;
        }
    }

    /// <summary>The thread: fills free buffers from the stream, in input order, until the input ends or it is stopped.</summary>
    private void Fill(object? state)
    {
        var stop = (CancellationToken)state!;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (!_free.TryTake(out buffer))
                {
                    if (DecodeWaitingChunk())
                    {
                        continue;
                    }

                    buffer = _free.Take(stop);
                }

                var set = SetOf(buffer);
                if (set is not null)
                {
                    // Idle since it was recycled: cleared before the chunk is queued, so that the reader never sees an
                    // earlier chunk's count.
                    set.Count = 0;
                }

                var count = 0;
                while (count < ChunkSize)
                {
                    if (!EnterRead())
                    {
                        return;
                    }

                    int read;
                    try
                    {
                        read = _stream.Read(buffer, Headroom + count, ChunkSize - count);
                    }
                    finally
                    {
                        lock (_gate)
                        {
                            _inRead = false;
                        }
                    }

                    if (Volatile.Read(ref _stopping))
                    {
                        return; // a read Dispose did not wait for: its bytes are nobody's
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    count += read;
                }

                var last = count < ChunkSize;
                if (set is not null)
                {
                    set.Bytes = count;
                    set.Sequence = ++_queued;
                    Volatile.Write(ref set.State, DecodedObjects.Waiting);
                }

                _filled.Add(new Chunk(buffer, count, last, null));
                buffer = null;
                if (last)
                {
                    // Nothing left to read: decode what is still queued before the reader gets to it.
                    while (!stop.IsCancellationRequested && DecodeWaitingChunk())
                    {
                    }

                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Handed to the reader in input order, as a synchronous read would have thrown it (after Dispose, to queues
            // nobody takes from, which Dispose left undisposed for a thread it did not wait for).
            _filled.Add(new Chunk(buffer ?? [], 0, true, e));
        }
    }

    /// <summary>The descriptors of one of this read-ahead's chunk buffers; null for another buffer (the reader's own).</summary>
    private DecodedObjects? SetOf(byte[] buffer)
    {
        foreach (var set in _sets)
        {
            if (set.Buffer == buffer)
            {
                return set;
            }
        }

        return null;
    }

    /// <summary>On the thread, before each read: false once the reader is disposing, so that no read starts after Dispose.</summary>
    private bool EnterRead()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return false;
            }

            _inRead = true;
            return true;
        }
    }

    /// <summary>A filled buffer: <see cref="Count"/> bytes of input after the headroom; <see cref="Last"/> when the input ends with them.</summary>
    private readonly record struct Chunk(byte[] Buffer, int Count, bool Last, Exception? Error);
}
