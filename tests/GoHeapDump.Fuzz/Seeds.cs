using System.Text;

namespace GoHeapDump.Fuzz;

/// <summary>
/// Small hand-built dumps for the fuzzer's starting corpus: every record kind, every header variant, in a few
/// hundred bytes each (AFL++ mutates small inputs far faster than the 20 KB and larger generated or real dumps,
/// which run-fuzz adds beside these). Written with an encoder of its own (seven bits per byte, low group first).
/// </summary>
internal static class Seeds
{
    public static int Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var seeds = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["minimal-go17"] = Minimal("go1.7"),
            ["minimal-go16"] = Minimal("go1.6"),
            ["minimal-go15"] = Minimal("go1.5"),
            ["every-kind-go17"] = EveryKind("go1.7", bigEndian: false),
            ["every-kind-go15-big-endian"] = EveryKind("go1.5", bigEndian: true),
        };
        foreach (var (name, bytes) in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, name + ".dump"), bytes);
        }

        return seeds.Count;
    }

    private static byte[] Minimal(string version)
    {
        var b = new Builder(version);
        b.Params(version, bigEndian: false, ptrSize: 8);
        b.MemStats();
        b.U(0);
        return b.ToArray();
    }

    private static byte[] EveryKind(string version, bool bigEndian)
    {
        const ulong heap = 0xc000000000;
        var b = new Builder(version);
        b.Params(version, bigEndian, ptrSize: 8);
        b.U(3).U(0x4a0000).U(16).S("main.T").U(1); // type
        b.U(8).U(0x4b0000).U(0x4a0000); // itab
        b.U(1).U(heap).Bytes(new byte[16]).U(1).U(0).U(1).U(8).U(0); // object, two pointer fields
        b.U(1).U(heap + 16).Bytes(new byte[32]).U(0); // object, no fields
        b.U(4).U(0xc000100000).U(0xc000200000).U(1).U(0x401000).U(4).U(0).U(0).U(0).S("chan receive").U(0).U(0xc000300000).U(0xc000400000).U(0xc000500000); // goroutine
        b.U(5).U(0xc000200000).U(0).U(0).Bytes(new byte[16]).U(0x402000).U(0x402010).U(0x402010).S("main.main").U(1).U(8).U(0); // frame
        b.U(5).U(0xc000200010).U(1).U(0xc000200000).Bytes([]).U(0x403000).U(0x403004).U(0x403004).S("runtime.main").U(0); // frame
        b.U(14).U(0xc000400000).U(0xc000100000).U(0xc000200000).U(0x402008).U(0).U(0).U(0); // defer
        b.U(15).U(0xc000500000).U(0xc000100000).U(0x4a0000).U(heap).U(0).U(0); // panic
        b.U(9).U(0xc000300000).U(0).U(4242); // os thread
        b.U(12).U(0x500000).Bytes(new byte[24]).U(1).U(16).U(0); // data
        b.U(13).U(0x600000).Bytes(new byte[8]).U(0); // bss
        b.U(7).U(heap).U(0x700000).U(0x701000).U(0x4a0000).U(0x4a0000); // finalizer
        b.U(11).U(heap + 16).U(0x700000).U(0x701000).U(0x4a0000).U(0x4a0000); // queued finalizer
        b.U(2).S("legacy root").U(heap); // other root (never written since 1.5; still a record kind)
        b.MemStats();
        b.U(16).U(0x800000).U(32).U(2).S("main.alloc").S("/src/main.go").U(12).S("(0x1a2b)").S("?").U(0).U(5).U(1); // memprof
        b.U(17).U(heap + 16).U(0x800000); // alloc sample
        b.U(0);
        return b.ToArray();
    }

    private sealed class Builder
    {
        private readonly List<byte> _bytes = [];

        public Builder(string version) => Ascii(version + " heap dump\n");

        public Builder U(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.Add((byte)value);
            return this;
        }

        public Builder S(string text) => Bytes(Encoding.UTF8.GetBytes(text));

        public Builder Bytes(byte[] bytes)
        {
            U((ulong)bytes.Length);
            _bytes.AddRange(bytes);
            return this;
        }

        public void Params(string version, bool bigEndian, ulong ptrSize)
        {
            U(6).U(bigEndian ? 1UL : 0).U(ptrSize).U(0xc000000000).U(0xc004000000);
            if (version == "go1.7")
            {
                S(bigEndian ? "s390x" : "amd64");
            }
            else
            {
                U(bigEndian ? 'z' : '6');
            }

            S(version == "go1.7" ? "go1.19.8" : "").U(4);
        }

        public void MemStats()
        {
            U(10);
            for (var i = 0; i < 24 + 256 + 1; i++)
            {
                U((ulong)(i * 37 % 200));
            }
        }

        public byte[] ToArray() => [.. _bytes];

        private void Ascii(string text) => _bytes.AddRange(Encoding.ASCII.GetBytes(text));
    }
}
