using System.Runtime.CompilerServices;

namespace GoHeapDump;

/// <summary>
/// The record <see cref="HeapDumpReader"/> has just decoded, read in place: spans into the reader's buffer
/// and its value table. Costs nothing to create; valid until the reader's next <see cref="HeapDumpReader.MoveNext"/>.
/// </summary>
/// <remarks>
/// Scalars are in <see cref="Values"/> at the indices of the per-kind classes (<see cref="GoroutineValues"/>,
/// <see cref="StackFrameValues"/>, …); bools are 0 or 1. Byte contents (objects, frames, data, bss) are
/// <see cref="Contents"/>; the record's text (type name, frame name, wait reason, other-root description,
/// params arch) is <see cref="Text"/>, and params' version info <see cref="Text2"/>.
/// </remarks>
public readonly ref struct HeapDumpRecordView
{
    private readonly HeapDumpReader _reader;

    internal HeapDumpRecordView(HeapDumpReader reader) => _reader = reader;

    /// <summary>The record's tag.</summary>
    public RecordKind Kind => _reader.CurrentKind;

    /// <summary>Index of the record (0 = the first after the header).</summary>
    public long Index => _reader.CurrentIndex;

    /// <summary>Offset of the record's first byte (its tag).</summary>
    public long Offset => _reader.CurrentOffset;

    /// <summary>Encoded size of the record in bytes (its contents included, skipped or not).</summary>
    public long Length => _reader.CurrentLengthInFile;

    /// <summary>The record's encoded bytes (without the contents when they were skipped).</summary>
    public ReadOnlySpan<byte> Bytes => _reader.CurrentBytes;

    /// <summary>The record's scalar values (see the per-kind index classes).</summary>
    public ReadOnlySpan<ulong> Values => _reader.CurrentValues;

    /// <summary>One scalar value by its per-kind index.</summary>
    public ulong this[int index] => _reader.CurrentValues[index];

    /// <summary>Offset of the first byte of the uvarint holding value <paramref name="index"/>.</summary>
    public long ValueOffset(int index) => _reader.CurrentValueOffset(index);

    /// <summary>Memory contents of an object, stack frame, data or bss record; empty for other kinds.</summary>
    public ReadOnlySpan<byte> Contents => _reader.CurrentContents;

    /// <summary>Length of the contents in the file, also when they were skipped.</summary>
    public long ContentsLength => _reader.CurrentContentsLength;

    /// <summary>True when the contents were longer than <see cref="HeapDumpReader.ContentsLimit"/> and skipped: <see cref="Contents"/> is empty.</summary>
    public bool ContentsSkipped => _reader.CurrentContentsSkipped;

    /// <summary>Offset of the uvarint holding the contents length.</summary>
    public long ContentsLengthOffset => _reader.CurrentContentsLengthOffset;

    /// <summary>The record's text: type name, frame name, wait reason, other-root description or params arch.</summary>
    public ReadOnlySpan<byte> Text => _reader.CurrentText;

    /// <summary>The params record's version info (GOEXPERIMENT or build version); empty for other kinds.</summary>
    public ReadOnlySpan<byte> Text2 => _reader.CurrentText2;

    /// <summary>Number of entries in the field list (object, stack frame, data, bss).</summary>
    public int FieldCount => _reader.CurrentFieldCount;

    /// <summary>What the field list holds in summary, computed while decoding (no second walk needed).</summary>
    public FieldListSummary FieldSummary => _reader.CurrentFieldSummary;

    /// <summary>The field list, decoded as it is enumerated.</summary>
    public FieldListEnumerator Fields => _reader.CurrentFields;

    /// <summary>The frames of a memprof record, decoded as they are enumerated.</summary>
    public MemProfFrameEnumerator MemProfFrames => _reader.CurrentMemProfFrames;

    /// <summary>Non-minimal uvarints (S10) in this record.</summary>
    public int NonMinimalUvarints => _reader.CurrentNonMinimal;

    /// <summary>Offset of the first non-minimal uvarint in this record, or -1.</summary>
    public long FirstNonMinimalUvarintOffset => _reader.CurrentFirstNonMinimalOffset;

    /// <summary>Builds the model record (allocates; for the <see cref="IHeapDumpReader"/> path).</summary>
    public HeapDumpRecord ToRecord() => _reader.CreateRecord();
}

/// <summary>A field list in summary.</summary>
/// <param name="Count">Number of fields.</param>
/// <param name="AllPtr">Every kind is ptr (no legacy iface/eface).</param>
/// <param name="StrictlyIncreasing">Every offset is greater than the one before it.</param>
/// <param name="OffsetsOr">Bitwise OR of all offsets (alignment: OR &amp; (size − 1) == 0).</param>
/// <param name="LastOffset">The last offset (the largest when the offsets increase); 0 when empty.</param>
public readonly record struct FieldListSummary(int Count, bool AllPtr, bool StrictlyIncreasing, ulong OffsetsOr, ulong LastOffset);

/// <summary>One entry of a field list, with where its uvarints sit in the file.</summary>
/// <param name="Kind">Field kind.</param>
/// <param name="Offset">Field offset within the described memory.</param>
/// <param name="Position">File offset of the uvarint holding <paramref name="Offset"/>.</param>
/// <param name="KindPosition">File offset of the uvarint holding <paramref name="Kind"/>.</param>
public readonly record struct FieldView(FieldKind Kind, ulong Offset, long Position, long KindPosition)
{
    /// <summary>The model field.</summary>
    public Field ToField() => new(Kind, Offset);
}

/// <summary>Decodes an already validated field list from the reader's buffer.</summary>
public ref struct FieldListEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _origin;
    private int _pos;
    private int _remaining;

    internal FieldListEnumerator(ReadOnlySpan<byte> data, int start, int count, long origin)
    {
        _data = data;
        _pos = start;
        _remaining = count;
        _origin = origin;
        Current = default;
    }

    /// <summary>The current field.</summary>
    public FieldView Current { get; private set; }

    /// <summary>Itself, for foreach.</summary>
    public readonly FieldListEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            return false;
        }

        _remaining--;
        var kindAt = _pos;
        var kind = Next();
        var at = _pos;
        Current = new FieldView((FieldKind)kind, Next(), _origin + at, _origin + kindAt);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Next()
    {
        var b = _data[_pos];
        if (b < 0x80)
        {
            _pos++;
            return b;
        }

        Uvarint.TryRead(_data[_pos..], out var value, out var length);
        _pos += length;
        return value;
    }
}

/// <summary>One frame of a memprof record, read in place.</summary>
public readonly ref struct MemProfFrameView
{
    internal MemProfFrameView(ReadOnlySpan<byte> funcName, ReadOnlySpan<byte> file, ulong line)
    {
        FuncName = funcName;
        File = file;
        Line = line;
    }

    public ReadOnlySpan<byte> FuncName { get; }

    public ReadOnlySpan<byte> File { get; }

    public ulong Line { get; }
}

/// <summary>Decodes the already validated frames of a memprof record from the reader's buffer.</summary>
public ref struct MemProfFrameEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;
    private ulong _remaining;
    private int _funcStart;
    private int _funcLength;
    private int _fileStart;
    private int _fileLength;
    private ulong _line;

    internal MemProfFrameEnumerator(ReadOnlySpan<byte> data, int start, ulong count)
    {
        _data = data;
        _pos = start;
        _remaining = count;
    }

    /// <summary>The current frame.</summary>
    public readonly MemProfFrameView Current =>
        new(_data.Slice(_funcStart, _funcLength), _data.Slice(_fileStart, _fileLength), _line);

    /// <summary>Itself, for foreach.</summary>
    public readonly MemProfFrameEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            return false;
        }

        _remaining--;
        _funcLength = (int)Next();
        _funcStart = _pos;
        _pos += _funcLength;
        _fileLength = (int)Next();
        _fileStart = _pos;
        _pos += _fileLength;
        _line = Next();
        return true;
    }

    private ulong Next()
    {
        Uvarint.TryRead(_data[_pos..], out var value, out var length);
        _pos += length;
        return value;
    }
}
