using System.Globalization;
using System.Text;

namespace GoHeapDump.Testing;

/// <summary>
/// Test-only byte builder for heap dumps: hex, uvarints, strings, and one helper per record kind that
/// writes the fields in wire order (runtime/heapdump.go). Deliberately simple and independent of the
/// code under test: its uvarint encoder is its own seven-bit loop.
/// </summary>
/// <remarks><see cref="Mark"/> returns the offset of the next byte, so a test can name "the offset of
/// this field" as it writes it.</remarks>
internal sealed class DumpBytes
{
    private readonly List<byte> _bytes = [];

    /// <summary>A dump starting with the given header ("go1.7", "go1.6", "go1.5").</summary>
    /// <param name="version">The header's version.</param>
    /// <param name="padded">Every uvarint written afterwards takes the full 10 bytes (see <see cref="U"/>).</param>
    public static DumpBytes WithHeader(string version = "go1.7", bool padded = false)
    {
        var dump = new DumpBytes().Ascii(version + " heap dump\n");
        dump.Padded = padded;
        return dump;
    }

    /// <summary>True when every uvarint takes 10 bytes: the longest encoding Go's encoding/binary accepts.</summary>
    public bool Padded { get; private set; }

    /// <summary>The offset the next byte will have.</summary>
    public long Mark => _bytes.Count;

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    /// <summary>Hex digits; spaces, newlines and <c>#…</c> comments to end of line are ignored.</summary>
    public DumpBytes Hex(string hex)
    {
        var digits = new StringBuilder();
        foreach (var line in hex.Split('\n'))
        {
            var text = line.Contains('#', StringComparison.Ordinal) ? line[..line.IndexOf('#', StringComparison.Ordinal)] : line;
            foreach (var ch in text)
            {
                if (!char.IsWhiteSpace(ch))
                {
                    digits.Append(ch);
                }
            }
        }

        _bytes.AddRange(Convert.FromHexString(digits.ToString()));
        return this;
    }

    /// <summary>Bytes as they are.</summary>
    public DumpBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public DumpBytes Ascii(string text)
    {
        _bytes.AddRange(Encoding.ASCII.GetBytes(text));
        return this;
    }

    /// <summary>
    /// Minimal uvarint: seven bits at a time, least significant first, high bit on all but the last. When
    /// <see cref="Padded"/>: ten bytes, continuation bits on the first nine, bit 63 in the tenth.
    /// </summary>
    public DumpBytes U(ulong value)
    {
        if (Padded)
        {
            for (var i = 0; i < 9; i++)
            {
                _bytes.Add((byte)(0x80 | ((value >> (7 * i)) & 0x7f)));
            }

            _bytes.Add((byte)(value >> 63));
            return this;
        }

        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
        return this;
    }

    public DumpBytes Bool(bool value) => U(value ? 1UL : 0UL);

    /// <summary>A length-prefixed string.</summary>
    public DumpBytes Str(string text) => Bytes(Encoding.UTF8.GetBytes(text));

    /// <summary>A length-prefixed byte string.</summary>
    public DumpBytes Bytes(byte[] bytes)
    {
        U((ulong)bytes.Length);
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A length-prefixed run of <paramref name="length"/> zero bytes (memory contents).</summary>
    public DumpBytes Zeros(int length) => Bytes(new byte[length]);

    /// <summary>A field list of pointer fields, then the end marker.</summary>
    public DumpBytes Fields(params ulong[] offsets)
    {
        foreach (var offset in offsets)
        {
            U(1).U(offset);
        }

        return U(0);
    }

    public DumpBytes Eof() => U(0);

    /// <summary>
    /// The default version names no Go runtime (a third-party producer), so the runtime-guarantee rules (V13–V19,
    /// S17, S18, R15–R17) stay out of tests about the format's own rules; pass a <c>go1.NN</c> version to bring them in.
    /// </summary>
    public const string NeutralVersion = "conformance-test-writer";

    public DumpBytes Params(ulong ptrSize = 8, ulong heapStart = 0xc000000000, ulong heapEnd = 0xc004000000,
        string arch = "amd64", string version = NeutralVersion, ulong ncpu = 2, bool bigEndian = false) =>
        U(6).Bool(bigEndian).U(ptrSize).U(heapStart).U(heapEnd).Str(arch).Str(version).U(ncpu);

    /// <summary>go1.5/go1.6 params: the architecture is a uvarint thechar.</summary>
    public DumpBytes ParamsTheChar(ulong theChar = '6', ulong ptrSize = 8, ulong heapStart = 0xc000000000, ulong heapEnd = 0xc004000000,
        string experiment = "", ulong ncpu = 2) =>
        U(6).Bool(false).U(ptrSize).U(heapStart).U(heapEnd).U(theChar).Str(experiment).U(ncpu);

    public DumpBytes Object(ulong address, int size, params ulong[] pointerOffsets) =>
        U(1).U(address).Zeros(size).Fields(pointerOffsets);

    /// <summary>An object of <paramref name="size"/> bytes whose first word (4 or 8 bytes, in the given byte order) is <paramref name="firstWord"/>, the rest zero.</summary>
    public DumpBytes ObjectStartingWith(ulong address, int size, ulong firstWord, int ptrSize, bool bigEndian, params ulong[] pointerOffsets)
    {
        var contents = new byte[size];
        for (var b = 0; b < ptrSize; b++)
        {
            contents[b] = (byte)(firstWord >> (8 * (bigEndian ? ptrSize - 1 - b : b)));
        }

        return U(1).U(address).Bytes(contents).Fields(pointerOffsets);
    }

    public DumpBytes OtherRoot(string description, ulong pointer) => U(2).Str(description).U(pointer);

    public DumpBytes Type(ulong address, ulong size, string name, bool ifaceDataIsPointer = true) =>
        U(3).U(address).U(size).Str(name).Bool(ifaceDataIsPointer);

    public DumpBytes Goroutine(ulong address, ulong sp = 0, ulong goid = 1, ulong status = 4, string waitReason = "chan receive",
        ulong m = 0, ulong topDefer = 0, ulong topPanic = 0, bool isSystem = false, bool isBackground = false) =>
        U(4).U(address).U(sp).U(goid).U(0x401000).U(status).Bool(isSystem).Bool(isBackground).U(0).Str(waitReason)
            .U(0).U(m).U(topDefer).U(topPanic);

    public DumpBytes Frame(ulong sp, ulong depth, ulong childSp, int size, string name = "main.f", params ulong[] pointerOffsets) =>
        U(5).U(sp).U(depth).U(childSp).Zeros(size).U(0x401000).U(0x401010).U(0x401010).Str(name).Fields(pointerOffsets);

    public DumpBytes Finalizer(ulong obj) => U(7).U(obj).U(0x500000).U(0x401000).U(0x600000).U(0x600100);

    public DumpBytes QueuedFinalizer(ulong obj) => U(11).U(obj).U(0x500000).U(0x401000).U(0x600000).U(0x600100);

    public DumpBytes Itab(ulong address, ulong type) => U(8).U(address).U(type);

    public DumpBytes OsThread(ulong address, ulong id = 0, ulong procId = 1000) => U(9).U(address).U(id).U(procId);

    /// <summary>A memstats record of 281 zeros.</summary>
    public DumpBytes MemStats()
    {
        U(10);
        for (var i = 0; i < 281; i++)
        {
            U(0);
        }

        return this;
    }

    /// <summary>
    /// A memstats record as the runtime fills it for <paramref name="objects"/> objects of <paramref name="bytes"/> bytes
    /// in 32 KiB of in-use heap: Alloc = HeapAlloc, HeapObjects = Mallocs − Frees, HeapSys = HeapInuse + HeapIdle, Sys the
    /// sum of the *Sys fields (the strict rules V16–V19).
    /// </summary>
    public DumpBytes MemStats(ulong objects, ulong bytes) => MemStats(MemStatsScalars(objects, bytes));

    /// <summary>The 24 scalars of <see cref="MemStats(ulong, ulong)"/>, for tests that break one identity at a time.</summary>
    public static ulong[] MemStatsScalars(ulong objects, ulong bytes)
    {
        const ulong heapInuse = 8192 * 4, heapIdle = 8192 * 60, stackSys = 32768;
        return
        [
            bytes, bytes, heapInuse + heapIdle + stackSys, 0, objects, 0, bytes, heapInuse + heapIdle, heapIdle, heapInuse, 0, objects,
            stackSys, stackSys, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
    }

    /// <summary>A memstats record with these 24 scalars, no GC pauses and NumGC 0.</summary>
    public DumpBytes MemStats(ulong[] scalars)
    {
        U(10);
        foreach (var s in scalars)
        {
            U(s);
        }

        for (var i = 0; i < 257; i++)
        {
            U(0); // PauseNs[256] and NumGC
        }

        return this;
    }

    public DumpBytes Data(ulong address, int size, params ulong[] pointerOffsets) =>
        U(12).U(address).Zeros(size).Fields(pointerOffsets);

    public DumpBytes Bss(ulong address, int size, params ulong[] pointerOffsets) =>
        U(13).U(address).Zeros(size).Fields(pointerOffsets);

    public DumpBytes Defer(ulong address, ulong goroutine, ulong link) =>
        U(14).U(address).U(goroutine).U(0xc000050f00).U(0x401020).U(0x4b0000).U(0x401100).U(link);

    public DumpBytes Panic(ulong address, ulong goroutine, ulong link, ulong wasDefer = 0) =>
        U(15).U(address).U(goroutine).U(0x4a0000).U(0x4c0000).U(wasDefer).U(link);

    public DumpBytes MemProf(ulong address, ulong size = 32, int frames = 1)
    {
        U(16).U(address).U(size).U((ulong)frames);
        for (var i = 0; i < frames; i++)
        {
            Str("main.main").Str("/src/main.go").U((ulong)(10 + i));
        }

        return U(1).U(0);
    }

    public DumpBytes AllocSample(ulong obj, ulong bucket) => U(17).U(obj).U(bucket);

    public override string ToString() => Convert.ToHexStringLower(ToArray());

    /// <summary>Formats an offset the way failures should show it.</summary>
    public static string Offset(long offset) => offset.ToString(CultureInfo.InvariantCulture);
}
