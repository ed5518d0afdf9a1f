using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace GoHeapDump;

/// <summary>
/// The fast, hand-written streaming parser: reads a dump in large chunks and decodes records straight
/// from the buffer. Two ways to consume it: <see cref="Read"/> returns model records (the
/// <see cref="IHeapDumpReader"/> contract), and <see cref="MoveNext"/> + <see cref="Current"/> expose the
/// record in place as a <see cref="HeapDumpRecordView"/> without allocating (the validator's hot path).
/// </summary>
/// <remarks>
/// <para>A record is decoded only once it is entirely in the buffer; when the buffer ends inside one, the
/// unread tail is moved to the front, more input is read, and the record is decoded again from its tag.
/// The buffer therefore grows to the largest single record and no further. Every length is checked against
/// what the input has left (the file size, when the stream can tell it) before the buffer grows for it.</para>
/// <para>Structure violations throw <see cref="HeapDumpFormatException"/> with the offsets of spec/FORMAT.md
/// "Error offsets". Non-minimal uvarints (rule S10) are accepted, as encoding/binary accepts them, and
/// counted: see <see cref="NonMinimalUvarintCount"/> and <see cref="HeapDumpRecordView.FirstNonMinimalUvarintOffset"/>.</para>
/// <para>After the EOF record, the next <see cref="Read"/>/<see cref="MoveNext"/> returns null/false when the
/// input ends there, and throws S09 when more bytes follow.</para>
/// </remarks>
public sealed partial class HeapDumpReader : IHeapDumpReader
{
    /// <summary>Default chunk size: large enough that refills are rare, small enough to stay in cache-friendly territory.</summary>
    public const int DefaultBufferSize = 1 << 20;

    /// <summary>Smallest accepted buffer size (tests use it to force refills at every record).</summary>
    public const int MinimumBufferSize = HeapDumpFormat.HeaderLength;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _length;
    private byte[] _buffer;
    private bool _bufferIsChunk;

    // Read ahead, the buffer a record outgrew a chunk into, kept for the next such record as the synchronous
    // reader keeps its grown buffer: renting afresh each time would touch new memory for every large record.
    private byte[]? _spare;
    private readonly ReadAhead? _readAhead;
    private int _pos;
    private int _end;
    private long _origin;

    // A skipped contents body (see ContentsLimit): buffer indices at or after _gapAt stand _gapLength bytes
    // further into the input. Folded into _origin by the next refill that moves past it.
    private int _gapAt = -1;
    private long _gapLength;
    private bool _inputEnded;
    private bool _finished;
    private bool _disposed;
    private HeapDumpFormatException? _failure;
    private long _nextIndex;
    private long _nonMinimalTotal;

    private HeapDumpReader(Stream stream, bool leaveOpen, int bufferSize, bool? readAhead, long origin = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("the stream must be readable", nameof(stream));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, MinimumBufferSize);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _length = stream.CanSeek ? origin + stream.Length - stream.Position : -1;
        _origin = origin;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _recordKind = RecordKind.Eof;

        // A file of a few chunks or more is read on the second core (see ReadAhead); bytes already in memory never are:
        // there is no kernel copy to overlap, only a thread and four chunks to pay for on every open (the robustness
        // tests open thousands of mutants of multi-MB dumps, and took six times the CPU with it). A stream that cannot
        // seek only when the caller asks (readAhead: true; the CLI for standard input): disposing the reader leaves a
        // thread caught in a read of it behind (ReadAhead.Dispose), reading the caller's stream after Dispose returns.
        if (stream.CanSeek
                ? readAhead ?? (Environment.ProcessorCount > 1 && stream is not (MemoryStream or UnmanagedMemoryStream) && _length >= ReadAheadChunks * (long)bufferSize)
                : readAhead == true)
        {
            _readAhead = new ReadAhead(stream, bufferSize);
        }
    }

    /// <summary>The least a copy from the read-ahead's chunks takes, so that a record's uvarints are not read a few bytes at a time.</summary>
    private const int MinimumCopy = 4096;

    /// <summary>Seekable inputs of at least this many buffers, not already in memory, are read ahead on a second thread when the machine has two cores or more.</summary>
    private const int ReadAheadChunks = 4;

    /// <summary>Opens a dump on a stream and reads its header.</summary>
    /// <param name="stream">The input, positioned at the header. Offsets are counted from there.</param>
    /// <param name="leaveOpen">Leave the stream open when the reader is disposed.</param>
    /// <param name="bufferSize">Chunk size in bytes; the buffer grows beyond it only for a larger record.</param>
    /// <exception cref="HeapDumpFormatException">The header is not one of the three variants (S01) or is cut short (S07).</exception>
    /// <remarks>A seekable input of at least four buffers, other than one in memory (<see cref="MemoryStream"/>, <see cref="UnmanagedMemoryStream"/>), is read ahead on a second thread when the machine has
    /// more than one core; the stream must then not be used by anyone else until the reader is disposed. That thread also
    /// decodes object records ahead of the reader when it has nothing to read (records and errors are the same either way).</remarks>
    public static HeapDumpReader Open(Stream stream, bool leaveOpen = false, int bufferSize = DefaultBufferSize) =>
        Open(stream, leaveOpen, bufferSize, readAhead: null);

    /// <summary>
    /// As the public overload, with reading ahead forced on or off (null: decided by size and cores for a seekable stream,
    /// off for one that cannot seek). On, a stream that cannot seek (standard input) is read ahead too; a read of it
    /// still running when the reader is disposed is not waited for (see ReadAhead.Dispose), so the caller must not use
    /// the stream again.
    /// </summary>
    internal static HeapDumpReader Open(Stream stream, bool leaveOpen, int bufferSize, bool? readAhead)
    {
        var reader = new HeapDumpReader(stream, leaveOpen, bufferSize, readAhead);
        try
        {
            reader.ReadHeader();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a reader on records that start at a record boundary <paramref name="origin"/> bytes into a dump whose header
    /// (and records before) another reader reads: <paramref name="stream"/> is positioned there. Offsets count from the
    /// dump's start; record indices from <paramref name="firstIndex"/>. Not read ahead. For a second core decoding a later
    /// part of the same file (the validator's split).
    /// </summary>
    internal static HeapDumpReader OpenAt(Stream stream, HeaderVersion version, long origin, long firstIndex, int bufferSize) =>
        new(stream, leaveOpen: false, bufferSize, readAhead: false, origin) { Version = version, _nextIndex = firstIndex };

    /// <summary>
    /// Moves past records that another reader decoded (see <see cref="OpenAt"/>): the next record starts at
    /// <paramref name="offset"/>, at or after <see cref="Position"/>, and the <paramref name="records"/> records with their
    /// <paramref name="nonMinimal"/> long uvarints count as read.
    /// </summary>
    internal void SkipDecoded(long offset, long records, long nonMinimal)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var skip = offset - Position;
        if (skip < 0 || _failure is not null || _finished)
        {
            throw new InvalidOperationException("skipping back, or after the end");
        }

        // A complete record ends after any gap of its skipped contents: the bytes from _pos on are contiguous.
        if (skip <= _end - _pos)
        {
            _pos += (int)skip;
        }
        else
        {
            var rest = offset - Absolute(_end);
            _decodedNext = -1;
            _origin = offset;
            _pos = _end = 0;
            _gapAt = -1;
            _gapLength = 0;
            if (_readAhead is not null)
            {
                _readAhead.Skip(rest); // on a pipe, reads and drops: an input that ends first ends as after a seek past a file's end
            }
            else
            {
                _stream.Seek(rest, SeekOrigin.Current);
            }
        }

        _nextIndex += records;
        _nonMinimalTotal += nonMinimal;
    }

    /// <summary>Opens a dump file and reads its header.</summary>
    /// <exception cref="HeapDumpFormatException">The header is not one of the three variants (S01) or is cut short (S07).</exception>
    public static HeapDumpReader Open(string path, int bufferSize = DefaultBufferSize)
    {
        // No FileStream buffer: the reader's own chunks are the buffer (SequentialScan tells the OS to read ahead).
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Open(stream, leaveOpen: false, bufferSize);
    }

    /// <inheritdoc/>
    public HeaderVersion Version { get; private set; }

    /// <inheritdoc/>
    public long Position => Absolute(_pos);

    /// <summary>
    /// Contents (of objects, frames, data, bss) longer than this many bytes are skipped instead of buffered: the
    /// record view then has an empty <see cref="HeapDumpRecordView.Contents"/> and
    /// <see cref="HeapDumpRecordView.ContentsSkipped"/> set, and <see cref="Read"/> throws
    /// <see cref="NotSupportedException"/> for that record. Negative (the default): never skip. The validator
    /// sets it so that memory does not follow the largest object, and objects over 2 GiB can be validated.
    /// </summary>
    public long ContentsLimit { get; set; } = -1;

    /// <summary>File offset of a buffer index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Absolute(int bufferIndex) => _origin + bufferIndex + (_gapAt >= 0 && bufferIndex >= _gapAt ? _gapLength : 0);

    /// <inheritdoc/>
    public long RecordIndex => _nextIndex;

    /// <summary>Input length in bytes when the stream can tell it (a file), else -1.</summary>
    public long Length => _length;

    /// <summary>Non-minimal uvarints (rule S10) in the records read so far, the header and the current record included.</summary>
    public long NonMinimalUvarintCount => _nonMinimalTotal;

    /// <summary>The record decoded by the last successful <see cref="MoveNext"/>. Valid until the next call.</summary>
    public HeapDumpRecordView Current => new(this);

    /// <inheritdoc/>
    public HeapDumpRecord? Read() => MoveNext() ? CreateRecord() : null;

    /// <summary>
    /// Decodes the next record into <see cref="Current"/>. Returns false once the EOF record has been
    /// returned and the input ends right after it.
    /// </summary>
    /// <exception cref="HeapDumpFormatException">The input breaks a structure rule; every later call throws it again.</exception>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null)
        {
            throw _failure;
        }

        if (_finished)
        {
            return false;
        }

        try
        {
            if (_pos == _decodedNext)
            {
                ServeDecoded();
                return true;
            }

            while (true)
            {
                var cursor = new Cursor(_buffer.AsSpan(0, _end), _pos);
                if (TryParseRecord(ref cursor))
                {
                    var length = cursor.Pos - _pos;
                    if (_recordKind == RecordKind.Eof)
                    {
                        CheckNothingAfterEof(length);
                    }

                    // A refill for the EOF check moves the record to the front of the buffer: shift what the cursor saw.
                    var moved = cursor.Pos - length - _pos;
                    _recordStart = _pos;
                    _recordEnd = _pos + length;
                    _pos = _recordEnd;
                    _recordIndex = _nextIndex++;
                    _recordNonMinimal = cursor.NonMinimal;
                    _recordFirstNonMinimal = cursor.FirstNonMinimal < 0 ? -1 : cursor.FirstNonMinimal - moved;
                    _nonMinimalTotal += cursor.NonMinimal;
                    _finished = _recordKind == RecordKind.Eof;
                    if (_recordKind == RecordKind.Params && _readAhead is not null)
                    {
                        _readAhead.DecodeAhead(_values[ParamsValues.HeapStart], _values[ParamsValues.HeapEnd], ContentsLimit);
                    }

                    return true;
                }

                HandleShortInput(ref cursor);
            }
        }
        catch (HeapDumpFormatException e)
        {
            _failure = e;
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _readAhead?.Dispose();
        if (!_bufferIsChunk)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        if (_spare is not null)
        {
            ArrayPool<byte>.Shared.Return(_spare);
            _spare = null;
        }

        _buffer = [];
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void ReadHeader()
    {
        while (_end - _pos < HeapDumpFormat.HeaderLength && !_inputEnded)
        {
            Fill(HeapDumpFormat.HeaderLength);
        }

        // A chunk read ahead holds its data after room for a record's tail: the header starts at _pos, not 0.
        var available = Math.Min(_end - _pos, HeapDumpFormat.HeaderLength);
        var header = _buffer.AsSpan(_pos, available);

        // Three fixed-size parts, read in order ("go1.", the minor digit, " heap dump\n"): a part the input
        // ends inside is S07 at the part's start (where its read began), a part that differs is S01 there.
        var prefix = HeapDumpFormat.HeaderPrefix;
        if (available < prefix.Length)
        {
            throw HeaderError(StructureRules.Truncated, 0, $"the input ends inside the header, after {available} bytes");
        }

        if (!header[..prefix.Length].SequenceEqual(prefix))
        {
            throw HeaderError(StructureRules.HeaderMagic, 0, $"expected \"go1.\", got {Quote(header[..prefix.Length])}");
        }

        if (available <= HeapDumpFormat.HeaderMinorOffset)
        {
            throw HeaderError(StructureRules.Truncated, HeapDumpFormat.HeaderMinorOffset, $"the input ends inside the header, after {available} bytes");
        }

        var version = HeapDumpFormat.VersionFromMinorDigit(header[HeapDumpFormat.HeaderMinorOffset]);
        if (version is null)
        {
            throw HeaderError(StructureRules.HeaderMagic, HeapDumpFormat.HeaderMinorOffset,
                $"expected minor version '5', '6' or '7', got {Quote(header.Slice(HeapDumpFormat.HeaderMinorOffset, 1))}");
        }

        if (available < HeapDumpFormat.HeaderLength)
        {
            throw HeaderError(StructureRules.Truncated, HeapDumpFormat.HeaderSuffixOffset, $"the input ends inside the header, after {available} bytes");
        }

        var suffix = HeapDumpFormat.HeaderSuffix;
        if (!header[HeapDumpFormat.HeaderSuffixOffset..].SequenceEqual(suffix))
        {
            throw HeaderError(StructureRules.HeaderMagic, HeapDumpFormat.HeaderSuffixOffset,
                $"expected \" heap dump\\n\", got {Quote(header[HeapDumpFormat.HeaderSuffixOffset..])}");
        }

        Version = version.Value;
        _pos += HeapDumpFormat.HeaderLength;
    }

    private static HeapDumpFormatException HeaderError(FormatRule rule, long offset, string detail) =>
        new(rule, detail, offset, -1, null, null);

    private static string Quote(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder("\"");
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\'
                ? (char)b
                : b == '\n' ? "\\n" : string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"));
        }

        return text.Append('"').ToString();
    }

    /// <summary>The record in the buffer ended early: throw the structure error, or read more and let the caller retry.</summary>
    private void HandleShortInput(ref Cursor cursor)
    {
        switch (cursor.Failure)
        {
            case UvarintStatus.TooLong:
                throw RecordError(StructureRules.UvarintTooLong, cursor.FailureAt, "a uvarint's 10th byte has the continuation bit set");
            case UvarintStatus.Overflow:
                throw RecordError(StructureRules.UvarintOverflow, cursor.FailureAt,
                    string.Create(CultureInfo.InvariantCulture, $"a uvarint's 10th byte must be 0 or 1, got 0x{_buffer[cursor.FailureAt]:x2}"));
        }

        if (cursor.BodyAt >= 0)
        {
            // A string body longer than what is buffered: check it against what the input has left first.
            var bodyOffset = Absolute(cursor.BodyAt);
            var remaining = _length >= 0 ? _length - bodyOffset : long.MaxValue;
            if (cursor.BodyLength > (ulong)remaining || (_inputEnded && cursor.BodyLength > (ulong)(_end - cursor.BodyAt)))
            {
                var left = _length >= 0 ? remaining : _end - cursor.BodyAt;
                throw RecordError(StructureRules.Truncated, cursor.BodyAt,
                    string.Create(CultureInfo.InvariantCulture, $"a string of {cursor.BodyLength} bytes, but the input has {left} left"));
            }

            if (cursor.BodyIsContents && ContentsLimit >= 0 && cursor.BodyLength > (ulong)ContentsLimit)
            {
                SkipContents(cursor.BodyAt, cursor.BodyLength);
                return;
            }

            var required = (ulong)(cursor.BodyAt - _pos) + cursor.BodyLength;
            if (required > (ulong)Array.MaxLength)
            {
                if (_length < 0)
                {
                    // Unknown input length: whether this is S07 or a genuinely huge string shows only by reading on.
                    DiscardOrThrowTruncated(cursor.BodyAt, cursor.BodyLength);
                }

                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                    $"record #{_nextIndex} at offset {Position} needs {required} bytes in memory; this reader holds records of at most {Array.MaxLength} bytes"));
            }

            Fill((long)required);
            return;
        }

        if (_inputEnded)
        {
            if (_pos == _end)
            {
                throw RecordError(StructureRules.MissingEof, _end, "the input ends after a complete record, without an EOF record");
            }

            throw RecordError(StructureRules.Truncated, _end, "the input ends inside a uvarint");
        }

        Fill((long)(_end - _pos) + 1);
    }

    /// <summary>
    /// Moves the unread bytes (from the current record's start) to the front, grows the buffer when
    /// <paramref name="required"/> bytes from there do not fit, and reads until the buffer is full or the input ends.
    /// </summary>
    private void Fill(long required)
    {
        var keep = _end - _pos;
        _decodedNext = -1;
        if (required > Array.MaxLength)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"record #{_nextIndex} at offset {Position} needs more than {Array.MaxLength} bytes in memory, the most this reader holds"));
        }

        if (_readAhead is not null && TakeChunk(keep))
        {
            return;
        }

        if (required > _buffer.Length)
        {
            long size;
            if (_length >= 0)
            {
                // Never more than the input has left: a hostile length cannot make the buffer outgrow the file.
                size = Math.Max(required, Math.Min(2L * _buffer.Length, Array.MaxLength));
                size = Math.Max(required, Math.Min(size, _length - Absolute(_pos)));
            }
            else
            {
                // Input of unknown length (a pipe): grow by doubling as bytes arrive, never to a length read from
                // the input, so a hostile length costs at most twice what the input delivered (found by fuzzing:
                // a 4 KB input declaring a 1 GiB string allocated 1 GiB). The caller retries and grows again.
                size = Math.Min(2L * _buffer.Length, Array.MaxLength);
            }

            byte[] larger;
            try
            {
                larger = _spare is not null && _spare.Length >= size ? _spare : ArrayPool<byte>.Shared.Rent((int)size);
                if (larger == _spare)
                {
                    _spare = null;
                }
            }
            catch (OutOfMemoryException e)
            {
                // A record must be held whole; one larger than the memory the process may use is not a format error.
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                    $"record #{_nextIndex} at offset {Position} needs {size} bytes in memory, more than this process can allocate"), e);
            }

            _buffer.AsSpan(_pos, keep).CopyTo(larger);
            ReplaceBuffer(larger, isChunk: false);
        }
        else if (_pos > 0)
        {
            _buffer.AsSpan(_pos, keep).CopyTo(_buffer);
        }

        MoveRecordTo(0);
        _end = keep;

        // Read ahead, the chunks arrive whole: copy only what this record needs, so that the next Fill takes the rest
        // of the chunk as its buffer instead of copying it. At least as much again as the record has so far: a
        // record decoded again from its tag after each copy (a long field list) must not cost quadratic time.
        // Otherwise fill the buffer.
        var until = _readAhead is null ? _buffer.Length : (int)Math.Min(_buffer.Length, Math.Max(required, keep + Math.Max(keep, MinimumCopy)));
        while (_end < until)
        {
            var read = ReadInput(_buffer.AsSpan(_end, until - _end));
            if (read == 0)
            {
                _inputEnded = true;
                break;
            }

            _end += read;
        }
    }

    /// <summary>
    /// Takes the next chunk read ahead as the buffer, with the unread bytes (the current record's start) copied
    /// into the room before its data; false when they do not fit there or the input has ended.
    /// </summary>
    private bool TakeChunk(int keep)
    {
        var chunk = _readAhead!.TakeChunk(keep, out var start, out var end);
        if (chunk is null)
        {
            return false;
        }

        _buffer.AsSpan(_pos, keep).CopyTo(chunk.AsSpan(start - keep));
        ReplaceBuffer(chunk, isChunk: true);
        MoveRecordTo(start - keep);
        _end = end;
        UseDecoded(chunk, start);
        _inputEnded = _readAhead.Ended;
        return true;
    }

    /// <summary>Gives the current buffer back where it came from (the array pool or the read-ahead) and uses <paramref name="buffer"/>.</summary>
    private void ReplaceBuffer(byte[] buffer, bool isChunk)
    {
        if (_bufferIsChunk)
        {
            _readAhead!.Recycle(_buffer);
        }
        else if (isChunk && (_spare is null || _spare.Length < _buffer.Length))
        {
            if (_spare is not null)
            {
                ArrayPool<byte>.Shared.Return(_spare);
            }

            _spare = _buffer;
        }
        else
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = buffer;
        _bufferIsChunk = isChunk;
    }

    /// <summary>
    /// Re-bases buffer indices after the bytes from <see cref="_pos"/> on were moved to <paramref name="index"/>
    /// (the start of a buffer, or of a chunk's data less the record's tail): the origin and the gap follow.
    /// </summary>
    private void MoveRecordTo(int index)
    {
        var shift = _pos - index;
        if (_gapAt >= 0 && _pos > _gapAt)
        {
            // The record with the skipped contents is done: fold the gap into the origin.
            _origin += _gapLength;
            _gapAt = -1;
            _gapLength = 0;
        }
        else if (_gapAt >= 0)
        {
            _gapAt -= shift;
        }

        _origin += shift;
        _pos = index;
    }

    /// <summary>Reads input as <see cref="Stream.Read(Span{byte})"/> does, from the read-ahead when there is one.</summary>
    private int ReadInput(Span<byte> destination) =>
        _readAhead is not null ? _readAhead.Read(destination) : _stream.Read(destination);

    /// <summary>
    /// The EOF record (<paramref name="length"/> bytes at the current position) must end the input. Go: mdump
    /// writes tagEOF last. Bytes after it fail the EOF record's read, as in the Kaitai parser: the EOF record is
    /// returned only when the input ends with it. May refill the buffer (the EOF record's bytes stay in it).
    /// </summary>
    private void CheckNothingAfterEof(int length)
    {
        if (_pos + length == _end && !_inputEnded)
        {
            Fill(length + 1);
        }

        if (_pos + length < _end)
        {
            var after = Absolute(_pos + length);
            throw new HeapDumpFormatException(StructureRules.TrailingBytes,
                string.Create(CultureInfo.InvariantCulture, $"{(_length >= 0 ? _length - after : _end - _pos - length)} bytes follow the EOF record"),
                after, _nextIndex + 1, null, null);
        }
    }

    private HeapDumpFormatException RecordError(FormatRule rule, int bufferIndex, string detail) =>
        new(rule, detail, Absolute(bufferIndex), _nextIndex, _kindKnown ? _recordKind : null, null);

    /// <summary>Reads past a body that cannot be held, to tell a truncated input (S07) from a huge string.</summary>
    private void DiscardOrThrowTruncated(int bodyAt, ulong length)
    {
        var bodyOffset = Absolute(bodyAt);
        var rest = length - (ulong)(_end - bodyAt);
        while (rest > 0)
        {
            var read = ReadInput(_buffer.AsSpan(0, (int)Math.Min(rest, (ulong)_buffer.Length)));
            if (read == 0)
            {
                _inputEnded = true;
                throw new HeapDumpFormatException(StructureRules.Truncated,
                    string.Create(CultureInfo.InvariantCulture, $"a string of {length} bytes, but the input ends {rest} bytes short of its end"),
                    bodyOffset, _nextIndex, _recordKind, null);
            }

            rest -= (ulong)read;
        }

        _decodedNext = -1;
        _end = _pos; // the buffered bytes were overwritten; the reader cannot go on after this record
    }

    /// <summary>
    /// Skips a contents body of <paramref name="length"/> bytes starting at buffer index <paramref name="bodyAt"/>
    /// (already checked against what the input has left): keeps the record's bytes before it, drops the buffered
    /// part of the body, seeks or reads past the rest, and leaves a gap marker so that decoding the record again
    /// takes the contents as skipped and offsets after it stay right.
    /// </summary>
    private void SkipContents(int bodyAt, ulong length)
    {
        var prefix = bodyAt - _pos;
        var bodyOffset = Absolute(bodyAt);
        var buffered = _end - bodyAt;
        _decodedNext = -1;
        _buffer.AsSpan(_pos, prefix).CopyTo(_buffer);
        _origin = Absolute(_pos);
        _pos = 0;
        _end = prefix;
        _gapAt = prefix;
        _gapLength = (long)length;
        var rest = (long)length - buffered;
        if (_end == _buffer.Length)
        {
            // The record's bytes before the body fill the buffer (a buffer smaller than a frame's 41-byte prefix):
            // make room to read through the body (found by fuzzing: a zero-byte read was taken for the input's end).
            var larger = ArrayPool<byte>.Shared.Rent(2 * _buffer.Length);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ReplaceBuffer(larger, isChunk: false);
        }

        if (_readAhead is not null)
        {
            rest = _readAhead.Skip(rest); // what a pipe did not have
        }
        else if (_stream.CanSeek)
        {
            _stream.Seek(rest, SeekOrigin.Current);
            rest = 0;
        }
        else
        {
            while (rest > 0)
            {
                var read = ReadInput(_buffer.AsSpan(_end, (int)Math.Min(rest, _buffer.Length - _end)));
                if (read == 0)
                {
                    break;
                }

                rest -= read;
            }
        }

        if (rest > 0)
        {
            // Worded as HandleShortInput's S07, which a reader that had already seen the input's end gives instead (read
            // ahead, or with the rest of a pipe buffered): the message does not depend on buffering.
            _inputEnded = true;
            throw new HeapDumpFormatException(StructureRules.Truncated,
                string.Create(CultureInfo.InvariantCulture, $"a string of {length} bytes, but the input has {(long)length - rest} left"),
                bodyOffset, _nextIndex, _recordKind, null);
        }

        while (_end < _buffer.Length)
        {
            var read = ReadInput(_buffer.AsSpan(_end));
            if (read == 0)
            {
                _inputEnded = true;
                break;
            }

            _end += read;
        }
    }
}
