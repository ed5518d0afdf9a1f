using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Kaitai;

/// <summary>
/// The input of a Kaitai-generated parser: a byte source with a position, typed reads, bit reads and the
/// helper functions generated code calls. Our own implementation of the API that kaitai-struct-compiler
/// 0.11 emits for C#, written for untrusted multi-gigabyte input.
/// </summary>
/// <remarks>
/// <para>Reads go through an internal buffer, so reading a byte costs an array access, not a virtual
/// <see cref="Stream"/> call. Positions are <see cref="long"/>: dumps exceed 2 GiB.</para>
/// <para>A read past the end throws <see cref="KaitaiEndOfStreamException"/> (an
/// <see cref="EndOfStreamException"/>) carrying the position at which the failing read began.</para>
/// <para><see cref="ReadBytes(long)"/> never allocates more than the input can deliver: for seekable
/// sources the length is checked against what remains before allocating; for non-seekable ones the result
/// grows as bytes actually arrive, so a hostile length costs no more memory than the input holds.</para>
/// <para>Positions are relative to where the wrapped stream was when this object was created.</para>
/// <para>Not thread-safe.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Name fixed by the generated code.")]
public sealed class KaitaiStream : IDisposable
{
    private const int StreamBufferSize = 64 * 1024;

    private readonly Stream? _stream;
    private readonly bool _leaveOpen;
    private readonly bool _seekable;
    private readonly long _origin;

    // For a byte[] source, the caller's array (never modified) and _bufStart is 0 unless seeked past the end.
    private readonly byte[]? _data;
    private byte[] _buffer;
    private int _bufPos;
    private int _bufLen;
    private long _bufStart;

    // ReadU1's one test: below this index the next byte is buffered and no memory guard is due (see UpdateFastEnd).
    private int _fastEnd;

    private ulong _bits;
    private int _bitsLeft;

    private long _lastReadStart;

    /// <summary>Reads the file at <paramref name="fileName"/>.</summary>
    public KaitaiStream(string fileName)
        : this(OpenFile(fileName), leaveOpen: false)
    {
    }

    /// <summary>Reads <paramref name="data"/> (not copied; must not change while being read).</summary>
    public KaitaiStream(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _buffer = data;
        _bufLen = data.Length;
        _fastEnd = _bufLen;
        _seekable = true;
    }

    /// <summary>Reads <paramref name="stream"/> from its current position; disposes it on <see cref="Dispose"/>.</summary>
    public KaitaiStream(Stream stream)
        : this(stream, leaveOpen: false)
    {
    }

    /// <summary>Reads <paramref name="stream"/> from its current position.</summary>
    /// <param name="stream">A readable stream; seekable or not.</param>
    /// <param name="leaveOpen">True to leave the stream open on <see cref="Dispose"/>.</param>
    public KaitaiStream(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("the stream is not readable", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _seekable = stream.CanSeek;
        _origin = _seekable ? stream.Position : 0;
        _buffer = new byte[StreamBufferSize];
    }

    /// <summary>The current position, from the start of the input.</summary>
    public long Pos => _bufStart + _bufPos;

    /// <summary>Total input size in bytes.</summary>
    /// <exception cref="NotSupportedException">The source is a non-seekable stream, whose size is unknown.</exception>
    public long Size
    {
        get
        {
            if (_data is not null)
            {
                return _data.Length;
            }

            if (!_seekable)
            {
                throw new NotSupportedException("the size of a non-seekable stream is unknown");
            }

            return Math.Max(0, _stream!.Length - _origin);
        }
    }

    /// <summary>True when no byte and no buffered bit remains.</summary>
    public bool IsEof => _bitsLeft == 0 && _bufPos >= _bufLen && !Fill();

    /// <summary>
    /// Position at which the most recent read of at least one byte began (also when it failed). Zero-length
    /// reads do not change it. Error reports use it to point at the start of the field that failed.
    /// </summary>
    public long LastReadStart => _lastReadStart;

    /// <summary>Moves to <paramref name="newPos"/>. Non-seekable sources can only move forward or within the buffer.</summary>
    public void Seek(long newPos)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(newPos);
        if (newPos >= _bufStart && newPos <= _bufStart + _bufLen)
        {
            _bufPos = (int)(newPos - _bufStart);
            return;
        }

        if (_data is not null)
        {
            if (newPos <= _data.Length)
            {
                _buffer = _data;
                _bufStart = 0;
                _bufLen = _data.Length;
                _bufPos = (int)newPos;
                UpdateFastEnd();
            }
            else
            {
                // Past the end: nothing is readable; reads fail with end of stream.
                _buffer = [];
                _bufStart = newPos;
                _bufLen = 0;
                _bufPos = 0;
                UpdateFastEnd();
            }

            return;
        }

        if (_seekable)
        {
            _stream!.Position = _origin + newPos;
            _bufStart = newPos;
            _bufLen = 0;
            _bufPos = 0;
            UpdateFastEnd();
            return;
        }

        if (newPos < _bufStart)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"cannot seek back to {newPos} in a non-seekable stream (buffer starts at {_bufStart})"));
        }

        // Forward in a non-seekable stream: consume and drop the bytes in between.
        while (Pos < newPos)
        {
            if (_bufPos == _bufLen && !Fill())
            {
                // Past the end, as with a seekable source: later reads fail with end of stream.
                _bufStart = newPos;
                _bufPos = 0;
                _bufLen = 0;
                UpdateFastEnd();
                return;
            }

            _bufPos += (int)Math.Min(_bufLen - _bufPos, newPos - Pos);
        }
    }

    /// <summary>Drops buffered bits, so the next bit read starts at a byte boundary.</summary>
    public void AlignToByte()
    {
        _bits = 0;
        _bitsLeft = 0;
    }

    // ---------------------------------------------------------------- integers

    /// <summary>Reads an unsigned byte.</summary>
    /// <remarks>Every uvarint byte of the generated parser comes through here (ten call sites per uvarint): the fast
    /// path is one comparison, inlined; a refill or a due memory guard takes the slow path.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadU1()
    {
        var p = _bufPos;
        if (p < _fastEnd)
        {
            _lastReadStart = _bufStart + p;
            _bufPos = p + 1;
            return _buffer[p];
        }

        return ReadU1Slow();
    }

    /// <summary>Bytes read one at a time between two calls of <see cref="MemoryGuard"/>.</summary>
    public const int GuardInterval = 4096;

    private long _guardAt = long.MaxValue;
    private Action? _memoryGuard;

    /// <summary>
    /// Called every <see cref="GuardInterval"/> bytes read through <see cref="ReadU1"/> (every uvarint byte of the
    /// generated parser). A guard that throws stops the parse: the parser's caller uses it to stop a record whose
    /// generated object tree outgrows the memory the process may use, before the runtime itself runs out.
    /// </summary>
    public Action? MemoryGuard
    {
        get => _memoryGuard;
        set
        {
            _memoryGuard = value;
            _guardAt = value is null ? long.MaxValue : Pos;
            UpdateFastEnd();
        }
    }

    private void RunGuard(long pos)
    {
        _guardAt = pos + GuardInterval;
        UpdateFastEnd();
        _memoryGuard?.Invoke();
    }

    /// <summary>Sets <see cref="_fastEnd"/> after the buffer window or the guard position moved: the buffered length,
    /// or the guard position inside the buffer when that comes first.</summary>
    private void UpdateFastEnd()
    {
        var guard = _guardAt - _bufStart;
        _fastEnd = guard < _bufLen ? (int)Math.Max(guard, 0) : _bufLen;
    }

    /// <summary>Reads a signed byte.</summary>
    public sbyte ReadS1() => (sbyte)ReadU1();

    public ushort ReadU2le() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public ushort ReadU2be() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint ReadU4le() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public uint ReadU4be() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong ReadU8le() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ulong ReadU8be() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public short ReadS2le() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public short ReadS2be() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int ReadS4le() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public int ReadS4be() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadS8le() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public long ReadS8be() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public float ReadF4le() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public float ReadF4be() => BinaryPrimitives.ReadSingleBigEndian(Take(4));

    public double ReadF8le() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public double ReadF8be() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    // ---------------------------------------------------------------- bits

    /// <summary>Reads an <paramref name="n"/>-bit unsigned integer, most significant bit of each byte first.</summary>
    public ulong ReadBitsIntBe(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 64);
        ulong result = 0;
        while (n > 0)
        {
            if (_bitsLeft == 0)
            {
                _bits = ReadU1();
                _bitsLeft = 8;
            }

            var take = Math.Min(n, _bitsLeft);
            // take ≤ 8, so the shift never reaches 64; bits shifted out of a 64-bit result are not requested.
            result = (result << take) | ((_bits >> (_bitsLeft - take)) & LowMask(take));
            _bitsLeft -= take;
            _bits &= LowMask(_bitsLeft);
            n -= take;
        }

        return result;
    }

    /// <summary>Reads an <paramref name="n"/>-bit unsigned integer, least significant bit of each byte first.</summary>
    public ulong ReadBitsIntLe(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 64);
        ulong result = 0;
        var shift = 0;
        while (n > 0)
        {
            if (_bitsLeft == 0)
            {
                _bits = ReadU1();
                _bitsLeft = 8;
            }

            var take = Math.Min(n, _bitsLeft);
            result |= (_bits & LowMask(take)) << shift;
            _bits >>= take;
            _bitsLeft -= take;
            shift += take;
            n -= take;
        }

        return result;
    }

    private static ulong LowMask(int bits) => bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;

    // ---------------------------------------------------------------- byte arrays

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    /// <exception cref="KaitaiEndOfStreamException">Fewer bytes remain; nothing was allocated for them.</exception>
    /// <remarks>Inlined: the generated code's zero-size checks (one per record, bool and field-list entry) call
    /// <c>ReadBytes(0)</c>, which then costs nothing.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte[] ReadBytes(long count) => count == 0 ? [] : ReadBytesNonEmpty(count);

    private byte[] ReadBytesNonEmpty(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var start = Pos;
        _lastReadStart = start;
        var buffered = _bufLen - _bufPos;
        if (count <= buffered)
        {
            var fast = _buffer.AsSpan(_bufPos, (int)count).ToArray();
            _bufPos += (int)count;
            return fast;
        }

        if (_stream is null)
        {
            throw new KaitaiEndOfStreamException(start, count, buffered);
        }

        return _seekable ? ReadBytesSeekable(start, count) : ReadBytesUnseekable(start, count);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (lengths in generated code are often unsigned).</summary>
    public byte[] ReadBytes(ulong count)
    {
        if (count > long.MaxValue)
        {
            _lastReadStart = Pos;
            throw new KaitaiEndOfStreamException(Pos, long.MaxValue, -1);
        }

        return ReadBytes((long)count);
    }

    /// <summary>Reads everything up to the end of the input.</summary>
    public byte[] ReadBytesFull()
    {
        if (_seekable)
        {
            return ReadBytes(Math.Max(0, Size - Pos));
        }

        _lastReadStart = Pos;
        using var collected = new MemoryStream();
        while (_bufPos < _bufLen || Fill())
        {
            collected.Write(_buffer, _bufPos, _bufLen - _bufPos);
            _bufPos = _bufLen;
        }

        return collected.ToArray();
    }

    /// <summary>Reads up to a terminator byte.</summary>
    /// <param name="term">The terminator.</param>
    /// <param name="includeTerm">Include the terminator in the result.</param>
    /// <param name="consumeTerm">Move past the terminator (else the next read starts at it).</param>
    /// <param name="eosError">Throw when the input ends before the terminator (else return what was read).</param>
    public byte[] ReadBytesTerm(byte term, bool includeTerm, bool consumeTerm, bool eosError)
    {
        var start = Pos;
        _lastReadStart = start;
        using var collected = new MemoryStream();
        while (true)
        {
            if (_bufPos == _bufLen && !Fill())
            {
                if (eosError)
                {
                    throw new KaitaiEndOfStreamException(start, -1, collected.Length,
                        string.Create(CultureInfo.InvariantCulture, $"end of stream at {Pos} before the terminator 0x{term:x2} of the field starting at {start}"));
                }

                return collected.ToArray();
            }

            var window = _buffer.AsSpan(_bufPos, _bufLen - _bufPos);
            var index = window.IndexOf(term);
            if (index < 0)
            {
                collected.Write(window);
                _bufPos = _bufLen;
                continue;
            }

            collected.Write(window[..index]);
            _bufPos += index;
            if (includeTerm)
            {
                collected.WriteByte(term);
            }

            if (consumeTerm)
            {
                _bufPos++;
            }

            return collected.ToArray();
        }
    }

    /// <summary>Reads up to a multi-byte terminator, compared unit by unit (units of the terminator's length).</summary>
    public byte[] ReadBytesTermMulti(byte[] term, bool includeTerm, bool consumeTerm, bool eosError)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (term.Length == 0)
        {
            throw new ArgumentException("the terminator is empty", nameof(term));
        }

        var unit = term.Length;
        if (_stream is not null && unit > _buffer.Length)
        {
            throw new ArgumentException("the terminator is longer than the stream buffer", nameof(term));
        }

        var start = Pos;
        _lastReadStart = start;
        using var collected = new MemoryStream();
        while (true)
        {
            if (!EnsureAvailable(unit))
            {
                if (eosError)
                {
                    throw new KaitaiEndOfStreamException(start, -1, collected.Length + (_bufLen - _bufPos),
                        string.Create(CultureInfo.InvariantCulture, $"end of stream at {Pos + (_bufLen - _bufPos)} before the {unit}-byte terminator of the field starting at {start}"));
                }

                collected.Write(_buffer, _bufPos, _bufLen - _bufPos);
                _bufPos = _bufLen;
                return collected.ToArray();
            }

            var candidate = _buffer.AsSpan(_bufPos, unit);
            if (candidate.SequenceEqual(term))
            {
                if (includeTerm)
                {
                    collected.Write(candidate);
                }

                if (consumeTerm)
                {
                    _bufPos += unit;
                }

                return collected.ToArray();
            }

            collected.Write(candidate);
            _bufPos += unit;
        }
    }

    // ---------------------------------------------------------------- byte array helpers

    /// <summary>Removes trailing <paramref name="padByte"/> bytes.</summary>
    public static byte[] BytesStripRight(byte[] src, byte padByte)
    {
        ArgumentNullException.ThrowIfNull(src);
        var end = src.AsSpan().LastIndexOfAnyExcept(padByte) + 1;
        return src.AsSpan(0, end).ToArray();
    }

    /// <summary>Cuts <paramref name="src"/> at the first <paramref name="term"/> (kept when <paramref name="includeTerm"/>).</summary>
    public static byte[] BytesTerminate(byte[] src, byte term, bool includeTerm)
    {
        ArgumentNullException.ThrowIfNull(src);
        var index = src.AsSpan().IndexOf(term);
        if (index < 0)
        {
            return src.AsSpan().ToArray();
        }

        return src.AsSpan(0, includeTerm ? index + 1 : index).ToArray();
    }

    /// <summary>Cuts <paramref name="src"/> at the first unit-aligned occurrence of <paramref name="term"/>.</summary>
    public static byte[] BytesTerminateMulti(byte[] src, byte[] term, bool includeTerm)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(term);
        var unit = term.Length;
        if (unit == 0)
        {
            return src.AsSpan().ToArray();
        }

        for (var i = 0; i + unit <= src.Length; i += unit)
        {
            if (src.AsSpan(i, unit).SequenceEqual(term))
            {
                return src.AsSpan(0, includeTerm ? i + unit : i).ToArray();
            }
        }

        return src.AsSpan().ToArray();
    }

    /// <summary>Modulo with a non-negative result (Kaitai's <c>%</c>).</summary>
    public static int Mod(int a, int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(b);
        var r = a % b;
        return r < 0 ? r + b : r;
    }

    /// <summary>Modulo with a non-negative result (Kaitai's <c>%</c>).</summary>
    public static long Mod(long a, long b)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(b);
        var r = a % b;
        return r < 0 ? r + b : r;
    }

    /// <summary>Compares byte arrays as unsigned bytes, lexicographically; negative, zero or positive.</summary>
    public static int ByteArrayCompare(byte[] a, byte[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.AsSpan().SequenceCompareTo(b);
    }

    /// <summary>Reverses a string by text elements, so surrogate pairs and combining marks stay intact.</summary>
    public static string StringReverse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(s);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        elements.Reverse();
        return string.Concat(elements);
    }

    // ---------------------------------------------------------------- process: (instance methods: generated code calls them on m_io)

    /// <summary>XORs every byte with <paramref name="key"/> (its low byte).</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Generated code calls it on the stream instance.")]
    public byte[] ProcessXor(byte[] value, int key)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new byte[value.Length];
        var k = (byte)key;
        for (var i = 0; i < value.Length; i++)
        {
            result[i] = (byte)(value[i] ^ k);
        }

        return result;
    }

    /// <summary>XORs with <paramref name="key"/> repeated cyclically.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Generated code calls it on the stream instance.")]
    public byte[] ProcessXor(byte[] value, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("the XOR key is empty", nameof(key));
        }

        var result = new byte[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            result[i] = (byte)(value[i] ^ key[i % key.Length]);
        }

        return result;
    }

    /// <summary>Rotates each byte left by <paramref name="amount"/> bits (negative: right). Only 1-byte groups exist in Kaitai 0.11.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Generated code calls it on the stream instance.")]
    public byte[] ProcessRotateLeft(byte[] data, int amount, int groupSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (groupSize != 1)
        {
            // The compiler only emits groupSize 1; wider groups have no defined byte order in the language.
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"rotation of {groupSize}-byte groups is not defined"));
        }

        var shift = Mod(amount, 8);
        var result = new byte[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            result[i] = (byte)((b << shift) | (b >> (8 - shift)));
        }

        return result;
    }

    /// <summary>Inflates zlib-wrapped (RFC 1950) data.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Generated code calls it on the stream instance.")]
    public byte[] ProcessZlib(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var input = new MemoryStream(data, writable: false);
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    public void Dispose()
    {
        if (_stream is not null && !_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    // ---------------------------------------------------------------- buffer management

    private static FileStream OpenFile(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        // bufferSize 0: this class buffers; a second buffer in FileStream would only copy twice.
        return new FileStream(fileName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte ReadU1Slow()
    {
        _lastReadStart = Pos;
        if (_bufPos >= _bufLen && !Fill())
        {
            throw new KaitaiEndOfStreamException(Pos, 1, 0);
        }

        if (Pos >= _guardAt)
        {
            RunGuard(Pos);
        }

        return _buffer[_bufPos++];
    }

    /// <summary>The next <paramref name="count"/> bytes from the buffer, consumed.</summary>
    private ReadOnlySpan<byte> Take(int count)
    {
        _lastReadStart = Pos;
        if (!EnsureAvailable(count))
        {
            throw new KaitaiEndOfStreamException(_lastReadStart, count, _bufLen - _bufPos);
        }

        var span = _buffer.AsSpan(_bufPos, count);
        _bufPos += count;
        return span;
    }

    /// <summary>Refills an exhausted buffer; false at the end of input.</summary>
    private bool Fill()
    {
        if (_stream is null)
        {
            return false;
        }

        _bufStart += _bufLen;
        _bufPos = 0;
        _bufLen = _stream.Read(_buffer, 0, _buffer.Length);
        UpdateFastEnd();
        return _bufLen > 0;
    }

    /// <summary>Makes <paramref name="count"/> (≤ buffer size) bytes available at <c>_bufPos</c>; false when the input ends first.</summary>
    private bool EnsureAvailable(int count)
    {
        if (_bufLen - _bufPos >= count)
        {
            return true;
        }

        if (_stream is null)
        {
            return false;
        }

        // Move the unread tail to the front, then top up.
        var tail = _bufLen - _bufPos;
        Buffer.BlockCopy(_buffer, _bufPos, _buffer, 0, tail);
        _bufStart += _bufPos;
        _bufPos = 0;
        _bufLen = tail;
        try
        {
            while (_bufLen < count)
            {
                var n = _stream.Read(_buffer, _bufLen, _buffer.Length - _bufLen);
                if (n == 0)
                {
                    return false;
                }

                _bufLen += n;
            }

            return true;
        }
        finally
        {
            UpdateFastEnd();
        }
    }

    private byte[] ReadBytesSeekable(long start, long count)
    {
        var remaining = _stream!.Length - _origin - start;
        if (count > remaining)
        {
            throw new KaitaiEndOfStreamException(start, count, Math.Max(0, remaining));
        }

        if (count > Array.MaxLength)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"a byte string of {count} bytes at offset {start} exceeds the largest .NET array ({Array.MaxLength} bytes)"));
        }

        var result = new byte[count];
        var buffered = _bufLen - _bufPos;
        _buffer.AsSpan(_bufPos, buffered).CopyTo(result);
        var filled = buffered;
        // The rest goes straight from the stream into the result, past our buffer.
        while (filled < count)
        {
            var n = _stream.Read(result, filled, (int)count - filled);
            if (n == 0)
            {
                // The file shrank while being read.
                _bufStart = start + filled;
                _bufPos = _bufLen = 0;
                UpdateFastEnd();
                throw new KaitaiEndOfStreamException(start, count, filled);
            }

            filled += n;
        }

        _bufStart = start + count;
        _bufPos = _bufLen = 0;
        UpdateFastEnd();
        return result;
    }

    private byte[] ReadBytesUnseekable(long start, long count)
    {
        // Grow with the bytes that actually arrive (at most doubling), so memory follows the input, not the claim.
        var result = new byte[(int)Math.Min(Math.Min(count, Array.MaxLength), Math.Max(StreamBufferSize, _bufLen - _bufPos))];
        var filled = 0L;
        while (filled < count)
        {
            if (_bufPos == _bufLen && !Fill())
            {
                throw new KaitaiEndOfStreamException(start, count, filled);
            }

            if (filled == result.Length)
            {
                if (result.Length == Array.MaxLength)
                {
                    // Larger than any array: confirm the input is long enough (an honest truncation is S07), else refuse.
                    SkipUnseekable(start, count, filled);
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                        $"a byte string of {count} bytes at offset {start} exceeds the largest .NET array ({Array.MaxLength} bytes)"));
                }

                Array.Resize(ref result, (int)Math.Min(Math.Min(count, Array.MaxLength), (long)result.Length * 2));
            }

            var take = (int)Math.Min(_bufLen - _bufPos, result.Length - filled);
            Buffer.BlockCopy(_buffer, _bufPos, result, (int)filled, take);
            _bufPos += take;
            filled += take;
        }

        return result;
    }

    private void SkipUnseekable(long start, long count, long consumed)
    {
        while (consumed < count)
        {
            if (_bufPos == _bufLen && !Fill())
            {
                throw new KaitaiEndOfStreamException(start, count, consumed);
            }

            var take = (int)Math.Min(_bufLen - _bufPos, count - consumed);
            _bufPos += take;
            consumed += take;
        }
    }
}
