using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace GoHeapDump;

// Decoding ahead: when the read-ahead thread has no free buffer to fill, it decodes the object records of a chunk waiting
// in its queue and leaves one descriptor per record beside the chunk (ReadAhead.DecodeWaitingChunk). When this reader
// takes that chunk as its buffer and its position reaches a descriptor's start exactly, that start is a confirmed record
// boundary, and MoveNext copies descriptors into its fields instead of decoding: the chunk is the buffer, so Current's
// spans are right. A chunk taken while the thread is still at it keeps the descriptors published so far, so no decoding
// is wasted and the two cores share the records by how fast each goes. Everything else (other records, long uvarints,
// errors, skipped contents) is decoded here as always.
public sealed partial class HeapDumpReader
{
    /// <summary>Objects decoded one after another that make a guess a boundary (as the validator's split).</summary>
    private const int DecodeAheadChain = 16;

    /// <summary>Descriptors the thread writes between publishing its count and looking whether the reader took the chunk.</summary>
    internal const int DecodeAheadBatch = 64;

    /// <summary>Descriptors ahead of the one served that ServeDecoded asks the cache for (four lines).</summary>
    private const int PrefetchAhead = 8;

    private DecodedObjects? _decodedSet;
    private int _decodedIndex;
    private int _decodedCount;
    private long _servedCount;

    /// <summary>Buffer index where the next pre-decoded record starts; -1 when there is none in this buffer.</summary>
    private int _decodedNext = -1;

    /// <summary>Records served from descriptors decoded ahead (for tests and measurements).</summary>
    internal long DecodedAheadCount => _servedCount;

    /// <summary>Called by the read-ahead thread each time it has published descriptors (tests: to pause or fail it there).</summary>
    internal Action<DecodedObjects, int>? DecodeAheadProbe
    {
        set => _readAhead!.Probe = value;
    }

    /// <summary>Uses the descriptors decoded ahead for <paramref name="chunk"/>, those at or after <paramref name="start"/> (bytes before it were overwritten or consumed).</summary>
    private void UseDecoded(byte[] chunk, int start)
    {
        _decodedNext = -1;
        var set = _readAhead!.TakeDecoded(chunk, out var count);
        if (set is null || set.Limit != ContentsLimit)
        {
            return;
        }

        // Records are contiguous from set.First: skip those that begin before start.
        var i = 0;
        var at = set.First;
        var items = set.Items;
        while (i < count && at < start)
        {
            at += items[i++].Length;
        }

        if (i < count)
        {
            _decodedSet = set;
            _decodedIndex = i;
            _decodedCount = count;
            _decodedNext = at;
        }
    }

    /// <summary>Makes the pre-decoded record at <see cref="_pos"/> the current one, as TryParseRecord and MoveNext would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void ServeDecoded()
    {
        var items = _decodedSet!.Items;
        ref readonly var d = ref items[_decodedIndex];

        // The descriptors were written on the other core: ask for a line well ahead (a prefetch never faults, even
        // past the array's end).
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(items), _decodedIndex + PrefetchAhead)));
        }

        _servedCount++;
        _recordKind = RecordKind.Object;
        _kindKnown = true;
        _valueCount = ObjectValues.Count;
        var start = _pos;
        var skipped = (d.Flags & DecodedFlags.SkippedInBuffer) != 0;
        _values[ObjectValues.Address] = d.Address;
        _valueAt[ObjectValues.Address] = start + d.AddressAt;
        _contentsLengthAt = start + d.LengthAt;
        _contentsSkipped = skipped;
        _contentsSkippedInBuffer = skipped;
        _contentsStart = start + d.ContentsAt;
        _contentsLength = skipped ? 0 : d.ContentsLength;
        _contentsFullLength = (ulong)d.ContentsLength;
        _fieldsStart = _contentsStart + d.ContentsLength;
        _fieldSummary = new FieldListSummary(d.FieldCount, (d.Flags & DecodedFlags.AllPtr) != 0, (d.Flags & DecodedFlags.Increasing) != 0,
            d.FieldOffsetsOr, d.LastFieldOffset);
        var end = start + d.Length;
        _recordStart = start;
        _recordEnd = end;
        _pos = end;
        _recordIndex = _nextIndex++;
        _recordNonMinimal = 0;
        _recordFirstNonMinimal = -1;
        _decodedNext = ++_decodedIndex < _decodedCount ? end : -1;
    }

    /// <summary>
    /// On the read-ahead thread: decodes the object records of <paramref name="data"/> from a guessed boundary at or after
    /// <paramref name="from"/>, up to the first record that is not an object, does not fit, or would be an error (this
    /// reader decodes that one itself and throws as it always does). Publishes the descriptors every
    /// <see cref="DecodeAheadBatch"/> records, and stops as soon as it sees that the reader has taken the chunk.
    /// </summary>
    internal static void DecodeObjects(ReadOnlySpan<byte> data, int from, ulong heapStart, ulong heapEnd, DecodedObjects set, Action<DecodedObjects, int>? probe)
    {
        var at = FindObjectBoundary(data, from, DecodeAheadChain, heapStart, heapEnd);
        if (at < 0)
        {
            return;
        }

        set.First = at;
        var limit = (ulong)set.Limit;
        var items = set.Items;
        var n = 0;
        var c = new Cursor(data, at); // one cursor for the chunk: a long uvarint anywhere ends the decoding
        while (true)
        {
            at = c.Pos;
            if (!c.Uvarint(out var tag) || tag != (ulong)RecordKind.Object)
            {
                break;
            }

            var addressAt = c.Pos;
            if (!c.Uvarint(out var address))
            {
                break;
            }

            var lengthAt = c.Pos;
            if (!c.Uvarint(out var length) || length > (ulong)(data.Length - c.Pos))
            {
                break;
            }

            var contentsStart = c.Pos;
            c.Pos += (int)length;

            // Rare cases left to the reader (the descriptor is kept small): long uvarints, offsets over 32 bits.
            if (ScanFieldList(ref c, out var fields, out _) != FieldListEnd.Eol || c.NonMinimal != 0 || (fields.OffsetsOr >> 32) != 0)
            {
                break;
            }

            if (n == items.Length)
            {
                break; // the rest of the chunk is the reader's: the descriptors' memory stays bounded
            }

            if (n % DecodeAheadBatch == 0 && n > 0 && !set.Publish(n, probe))
            {
                return; // the reader took the chunk: it goes on from what was published
            }

            items[n++] = new DecodedObject
            {
                Address = address,
                FieldOffsetsOr = (uint)fields.OffsetsOr,
                LastFieldOffset = (uint)fields.LastOffset,
                ContentsLength = (int)length,
                Length = c.Pos - at,
                FieldCount = fields.Count,
                AddressAt = (byte)(addressAt - at),
                LengthAt = (byte)(lengthAt - at),
                ContentsAt = (byte)(contentsStart - at),
                Flags = (fields.StrictlyIncreasing ? DecodedFlags.Increasing : DecodedFlags.None) | (fields.AllPtr ? DecodedFlags.AllPtr : DecodedFlags.None)
                    | (length > limit ? DecodedFlags.SkippedInBuffer : DecodedFlags.None),
            };
        }

        set.Publish(n, probe);
    }
}

/// <summary>What MoveNext sets for one object record, buffer indices into the chunk it was decoded in.</summary>
/// <remarks>32 bytes: the reader reads one per record from the other core's cache, so size is time. Offsets are from the
/// record's start, which is the previous record's end.</remarks>
internal struct DecodedObject
{
    public ulong Address;
    public uint FieldOffsetsOr;
    public uint LastFieldOffset;
    public int ContentsLength;
    public int Length;
    public int FieldCount;
    public byte AddressAt;
    public byte LengthAt;
    public byte ContentsAt;
    public DecodedFlags Flags;
}

[Flags]
internal enum DecodedFlags : byte
{
    None = 0,
    Increasing = 1,
    AllPtr = 2,
    SkippedInBuffer = 4,
}

/// <summary>The records decoded ahead in one chunk buffer, and who has it (see ReadAhead).</summary>
/// <remarks>The thread writes descriptors, then publishes how many with a release write of <see cref="Count"/>; the
/// reader takes the set with an exchange of <see cref="State"/> and reads only the descriptors published by then.</remarks>
internal sealed class DecodedObjects
{
    /// <summary>The buffer is free, being filled, or used other than as a decoded chunk: nothing to decode.</summary>
    public const int Idle = 0;

    /// <summary>Filled and queued for the reader: the thread may decode it.</summary>
    public const int Waiting = 1;

    public const int Decoding = 2;
    public const int Done = 3;

    /// <summary>The reader has the chunk: the thread stops decoding it.</summary>
    public const int Taken = 4;

    public int State;

    /// <summary>Descriptors published (0 until the thread has decoded some).</summary>
    public int Count;

    /// <summary>Buffer index of the first descriptor's record.</summary>
    public int First;

    /// <summary>The reader's ContentsLimit the descriptors were decoded for.</summary>
    public long Limit;

    /// <summary>Input bytes in the chunk, after the headroom.</summary>
    public int Bytes;

    /// <summary>Order in which the thread queued the chunk: it decodes the newest first, furthest from the reader.</summary>
    public long Sequence;

    private readonly int _capacity;

    public DecodedObjects(byte[] buffer, int capacity)
    {
        Buffer = buffer;
        _capacity = capacity;
    }

    /// <summary>The chunk buffer the descriptors are for.</summary>
    public byte[] Buffer { get; }

    /// <summary>The descriptors; allocated by the thread when it first decodes this buffer (a dump with few objects, or
    /// one read faster than it is decoded, never needs them). Published to the reader with <see cref="Count"/>.</summary>
    public DecodedObject[] Items { get; private set; } = [];

    /// <summary>On the thread, before decoding.</summary>
    public void EnsureItems()
    {
        if (Items.Length == 0)
        {
            Items = GC.AllocateUninitializedArray<DecodedObject>(_capacity);
        }
    }

    /// <summary>On the thread: makes the first <paramref name="count"/> descriptors the reader's; false when the reader has taken the chunk.</summary>
    public bool Publish(int count, Action<DecodedObjects, int>? probe)
    {
        Volatile.Write(ref Count, count);
        probe?.Invoke(this, count);
        return Volatile.Read(ref State) == Decoding;
    }
}
