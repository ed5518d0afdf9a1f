using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>Go: heapdump.go dumpitabs/itab_callback and dumptype: the 256 × 4 move-to-front type cache and type names.</summary>
public class DumpItabsTests
{
    private static RuntimeType T(ulong address, uint hash, string name) =>
        new() { Address = address, Hash = hash, Str = name, Size = 8 };

    private static byte[] Dump(RuntimeState state) => HeapDumpWriter.ToBytes(state);

    [Fact]
    public void Write_FiveTypesInOneBucket_EvictedTypeIsWrittenAgain()
    {
        // All five hashes end in 0x07: bucket 7, four ways.
        var t1 = T(0x4a0000, 0x12345607, "T1");
        var t2 = T(0x4a0040, 0xabcdef07, "T2");
        var t3 = T(0x4a0080, 0x00000007, "T3");
        var t4 = T(0x4a00c0, 0xffffff07, "T4");
        var t5 = T(0x4a0100, 0x77777707, "T5");
        RuntimeType[] order = [t1, t1, t2, t3, t4, t5, t1, t3, t2];
        var itabs = order.Select((t, i) => new Itab(0x4b0000 + ((ulong)i * 0x20), t));
        var state = new RuntimeState(Fixture.Amd64, types: [t1, t2, t3, t4, t5], itabs: itabs);

        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                03 80 80 a8 02 08 02 "T1" 01   # type T1 0x4a0000: miss → [T1]
                08 80 80 ac 02 80 80 a8 02     # itab 0x4b0000 → T1
                08 a0 80 ac 02 80 80 a8 02     # itab 0x4b0020 → T1: hit at the front, no type record
                03 c0 80 a8 02 08 02 "T2" 01   # type T2 0x4a0040 → [T2 T1]
                08 c0 80 ac 02 c0 80 a8 02     # itab 0x4b0040 → T2
                03 80 81 a8 02 08 02 "T3" 01   # type T3 0x4a0080 → [T3 T2 T1]
                08 e0 80 ac 02 80 81 a8 02     # itab 0x4b0060 → T3
                03 c0 81 a8 02 08 02 "T4" 01   # type T4 0x4a00c0 → [T4 T3 T2 T1]
                08 80 81 ac 02 c0 81 a8 02     # itab 0x4b0080 → T4
                03 80 82 a8 02 08 02 "T5" 01   # type T5 0x4a0100 → [T5 T4 T3 T2]: T1 evicted
                08 a0 81 ac 02 80 82 a8 02     # itab 0x4b00a0 → T5
                03 80 80 a8 02 08 02 "T1" 01   # type T1 again: miss → [T1 T5 T4 T3]: T2 evicted
                08 c0 81 ac 02 80 80 a8 02     # itab 0x4b00c0 → T1
                08 e0 81 ac 02 80 81 a8 02     # itab 0x4b00e0 → T3: hit in the last way → [T3 T1 T5 T4]
                03 c0 80 a8 02 08 02 "T2" 01   # type T2 again: miss
                08 80 82 ac 02 c0 80 a8 02     # itab 0x4b0100 → T2
                """,
                Fixture.Tail),
            Dump(state));
    }

    [Fact]
    public void Write_OtherBucketsAndHighHashBits_DoNotEvict()
    {
        // Bucket = hash & 255: 0x107 and 0x207 share bucket 7 with 0x07; 0x108 is bucket 8.
        var a = T(0x10, 0x007, "A");
        var b = T(0x20, 0x107, "B");
        var c = T(0x30, 0x207, "C");
        var d = T(0x40, 0x307, "D");
        var x = T(0x50, 0x108, "X");
        var y = T(0x60, 0x208, "Y");
        RuntimeType[] order = [a, b, c, d, x, y, a];
        var state = new RuntimeState(Fixture.Amd64, types: [a, b, c, d, x, y], itabs: order.Select((t, i) => new Itab(0x100 + (ulong)i, t)));

        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                03 10 08 01 "A" 01   08 80 02 10   # A, itab 0x100
                03 20 08 01 "B" 01   08 81 02 20   # B, itab 0x101
                03 30 08 01 "C" 01   08 82 02 30   # C, itab 0x102
                03 40 08 01 "D" 01   08 83 02 40   # D, itab 0x103: bucket 7 = [D C B A]
                03 50 08 01 "X" 01   08 84 02 50   # X in bucket 8
                03 60 08 01 "Y" 01   08 85 02 60   # Y in bucket 8
                08 86 02 10                        # A: still in bucket 7, no type record
                """,
                Fixture.Tail),
            Dump(state));
    }

    [Fact]
    public void Write_ItabWithNilType_NoTypeRecordAndZero() =>
        Bytes.Equal(
            Fixture.Hex(Fixture.Header, Fixture.ParamsNoArenas, "08 80 02 00   # itab 0x100, type 0", Fixture.Tail),
            Dump(new RuntimeState(Fixture.Amd64, itabs: [new Itab(0x100, null)])));

    [Fact]
    public void Write_TypeNames_BuiltAsTheRuntimeBuildsThem()
    {
        // One type per bucket (hash = index), so each is written once.
        RuntimeType[] types =
        [
            new() { Address = 0x10, Hash = 0, Str = "*main.Node", ExtraStar = true, Named = true, PkgPath = "main", Size = 32, PtrData = 24 },
            new() { Address = 0x20, Hash = 1, Str = "*main.Node", Named = false, PkgPath = "main", Size = 8, PtrData = 8, DirectIface = true },
            new() { Address = 0x30, Hash = 2, Str = "int", Named = true, Size = 8, DirectIface = true },
            new() { Address = 0x40, Hash = 3, Str = "struct {}", PkgPath = "", Size = 0, DirectIface = true },
            new() { Address = 0x50, Hash = 4, Str = "*main.Pair[main.K,int]", ExtraStar = true, Named = true, PkgPath = "main", Size = 16 },
            new() { Address = 0x60, Hash = 5, Str = "*y.T", ExtraStar = true, Named = true, PkgPath = "github.com/x/y", Size = 8 },
            new() { Address = 0x70, Hash = 6, Str = "T", Named = true, PkgPath = "p", Size = 8 },
            new() { Address = 0x80, Hash = 7, Str = "*[]int", ExtraStar = true, Size = 24, PtrData = 8 },
        ];
        var state = new RuntimeState(Fixture.Amd64, types: types, itabs: types.Select(t => new Itab(t.Address + 1, t)));

        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                03 10 20 09 "main.Node" 01              # pkgpath "main" + "." + name "Node" (string drops the extra star); not direct-iface → 1
                08 11 10
                03 20 08 05 "main." 01                  # pointer type: pkgpath but no name (not named): "main." (lossy); direct-iface with ptrdata → 1
                08 21 20
                03 30 08 03 "int" 00                    # no uncommon part: the type string; direct-iface, no pointers → 0
                08 31 30
                03 40 00 09 "struct {}" 00              # uncommon part with an empty pkgpath: the type string
                08 41 40
                03 50 10 15 "main.Pair[main.K,int]" 01  # name: after the last '.' outside [ ]: "Pair[main.K,int]"
                08 51 50
                03 60 08 10 "github.com/x/y.T" 01       # the full package path, not the short one in the string
                08 61 60
                03 70 08 03 "p.T" 01                    # a name without '.' is the whole string
                08 71 70
                03 80 01 18 05 "[]int" 01               # 0x80 takes two bytes; extra star dropped, no pkgpath: "[]int"
                08 81 01 80 01
                """,
                Fixture.Tail),
            Dump(state));
    }

    [Fact]
    public void Write_PkgPathNameAcrossBufferEnd_DotIsItsOwnWrite()
    {
        // Go: the name is dumpint(len), dwrite(pkgpath), dwritebyte('.'), dwrite(name). With a 4054-byte
        // pkgpath ending exactly at byte 4096, the '.' starts the second buffer. (One dwrite of the whole
        // name would have flushed after 42 bytes instead.)
        var pkgPath = new string('p', 4054);
        var t = new RuntimeType { Address = 0x10, Str = "*p.T", ExtraStar = true, Named = true, PkgPath = pkgPath, Size = 8 };
        var state = new RuntimeState(Fixture.Amd64, types: [t], itabs: [new Itab(0x20, t)]);

        var sink = Fixture.Record(state);

        // 16 header + 21 params + 03 10 08 + d8 1f (4056) = 42, + 4054 = 4096; then ".T", bool, itab 08 20 10 (6),
        // roots 8, memstats 282, EOF 1 = 297.
        Assert.Equal([4096, 297], sink.CallLengths);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                03 10 08
                d8 1f                 # name length 4054 + 1 + 1 = 4056
                70*4054               # pkgpath
                "." "T"
                01
                08 20 10
                """,
                Fixture.Tail),
            sink.ToArray());
    }
}
