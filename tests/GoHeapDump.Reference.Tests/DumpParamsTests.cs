using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>Go: heapdump.go dumpparams; the heap range is the bounding box of the arenas in use.</summary>
public class DumpParamsTests
{
    private static readonly RuntimePlatform I386 = RuntimePlatform.ForArch("386", "go1.19.8", 2);

    [Fact]
    public void Write_NoArenas_HeapRangeIsZero() =>
        Bytes.Equal(
            Fixture.Hex(Fixture.Header, Fixture.ParamsNoArenas, Fixture.Tail),
            HeapDumpWriter.ToBytes(new RuntimeState(Fixture.Amd64)));

    [Fact]
    public void Write_TwoAmd64Arenas_BoundingBox()
    {
        var state = new RuntimeState(Fixture.Amd64, arenas: [0x203000, 0x203001]);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """
                06                     # params
                00                     # little-endian
                08                     # pointer size
                80 80 80 80 80 18      # start: arena 0x203000 → 0x203000·2^26 + 0xffff800000000000 = 0xc000000000
                80 80 80 c0 80 18      # end: 0xc000000000 + 2·64 MiB = 0xc008000000 (0x40 << 21)
                05 "amd64"
                08 "go1.19.8"
                04                     # ncpu
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_Amd64ArenaBelowBaseOffset_IsAHighAddressInTheBox()
    {
        // Arena index 0 is 0xffff800000000000 on amd64: visited first, it sets the start and the end; the
        // heap arena 0x203000 then lowers the start. The end stays 0xffff800004000000.
        var state = new RuntimeState(Fixture.Amd64, arenas: [0, 0x203000]);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """
                06 00 08
                80 80 80 80 80 18              # start 0xc000000000
                80 80 80 a0 80 80 e0 ff ff 01  # end 0xffff800004000000: bit 26, bits 47..63
                05 "amd64" 08 "go1.19.8" 04
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_32BitArenasWithGap_BoundingBoxIncludesTheGap()
    {
        // 386: 4 MiB arenas, no base offset. Arenas 0x28, 0x29, 0x2b: [0x0a000000, 0x0b000000).
        var state = new RuntimeState(I386, arenas: [0x28, 0x29, 0x2b]);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """
                06                     # params
                00                     # little-endian
                04                     # pointer size 4
                80 80 80 50            # start 0x0a000000 (0x50 << 21)
                80 80 80 58            # end 0x0b000000 (0x58 << 21)
                03 "386"
                08 "go1.19.8"
                02                     # ncpu
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_ArenaAtAddressZero_DoesNotHoldTheStart()
    {
        // Go: "if arenaStart == 0 || base < arenaStart": 0 means unset, so the next arena replaces it.
        var state = new RuntimeState(I386, arenas: [0, 0x28]);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """
                06 00 04
                80 80 80 50            # start 0x0a000000, not 0
                80 80 80 52            # end 0x0a400000
                03 "386" 08 "go1.19.8" 02
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_LastArenaOf32BitSpace_EndWrapsToZeroAndIsNotTaken()
    {
        // Arena 0x3ff is [0xffc00000, 2^32): base + 4 MiB wraps to 0 in uintptr, which is not > end.
        var state = new RuntimeState(I386, arenas: [0x28, 0x3ff]);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """
                06 00 04
                80 80 80 50            # start 0x0a000000
                80 80 80 52            # end 0x0a400000: the last arena's wrapped end 0 did not count
                03 "386" 08 "go1.19.8" 02
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_BigEndianNegativeNcpuAndDevelVersion_WrittenAsIs()
    {
        var platform = RuntimePlatform.ForArch("s390x", "devel +abc X:boringcrypto", -1);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """
                06
                01                             # big-endian: true
                08
                00 00
                05 "s390x"
                19 "devel +abc X:boringcrypto" # 25 bytes
                ff ff ff ff ff ff ff ff ff 01  # ncpu −1: uint64(int32) sign-extends
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(new RuntimeState(platform)));
    }
}
