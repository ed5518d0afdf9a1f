using System.Collections.Frozen;

namespace GoHeapDump.Runtime;

/// <summary>
/// How the runtime maps addresses to heap arenas. Go: runtime/malloc.go heapArenaBytes, arenaBaseOffset,
/// arenaL1Bits, arenaL2Bits; runtime/mheap.go arenaIndex, arenaBase.
/// </summary>
/// <param name="HeapArenaBytes">Bytes per arena: 64 MiB on most 64-bit platforms, 4 MiB on 32-bit, wasm, windows/64 and ios/arm64.</param>
/// <param name="BaseOffset">Address of arena index 0: 0xffff800000000000 on amd64 (so the sign-extended
/// address space maps to one index range), 0 elsewhere. arenaIndex(p) = (p − BaseOffset) / HeapArenaBytes
/// in pointer-width arithmetic.</param>
/// <param name="L1Bits">Bits of the arena index used for the first level of mheap_.arenas (6 on windows/amd64, else 0).</param>
/// <param name="L2Bits">Bits used for the second level. The runtime visits arenas in (L1, L2) order, i.e. ascending index.</param>
public sealed record ArenaGeometry(ulong HeapArenaBytes, ulong BaseOffset, int L1Bits, int L2Bits)
{
    /// <summary>Number of arena indices: 2^(L1Bits + L2Bits).</summary>
    public ulong IndexCount => 1UL << (L1Bits + L2Bits);
}

/// <summary>
/// The platform the dumping process runs on: what the params record describes, and the arena geometry that
/// turns arenas into the params heap range.
/// </summary>
public sealed record RuntimePlatform
{
    /// <summary>Pointer size in bytes, 4 or 8. Go: goarch.PtrSize.</summary>
    public required int PtrSize { get; init; }

    /// <summary>True on big-endian targets (s390x, ppc64, mips, mips64).</summary>
    public required bool BigEndian { get; init; }

    /// <summary>GOARCH, the params record's architecture string. Go: goarch.GOARCH.</summary>
    public required GoString Goarch { get; init; }

    /// <summary>The params record's second string: GOEXPERIMENT up to Go 1.16, the build version since 1.17 (Go: buildVersion).</summary>
    public GoString VersionInfo { get; init; } = "go1.19.8";

    /// <summary>
    /// The Go release whose runtime dumps this process: it picks the dump algorithm's variant (header, params, itab types,
    /// type names, object field lists). Go 1.19.8 unless set. <see cref="VersionInfo"/> is what the params record says and
    /// is set separately (a development build or a GOEXPERIMENT string says something else than the release number).
    /// </summary>
    public GoRelease Release { get; init; } = new(1, 19, 8);

    /// <summary>Number of CPUs. Go: runtime.ncpu (int32; written as uint64(ncpu), so a negative value sign-extends).</summary>
    public int Ncpu { get; init; } = 1;

    /// <summary>Arena geometry for the heap range.</summary>
    public required ArenaGeometry Arenas { get; init; }

    /// <summary>Largest value a pointer-sized word holds.</summary>
    public ulong PointerMask => PtrSize == 8 ? ulong.MaxValue : uint.MaxValue;

    /// <summary>The platform of a Go 1.19 linux/<paramref name="goarch"/> process (see <see cref="GoArchitecture.All"/>).</summary>
    /// <exception cref="ArgumentException">Unknown GOARCH.</exception>
    public static RuntimePlatform ForArch(string goarch, string versionInfo = "go1.19.8", int ncpu = 1)
    {
        var arch = GoArchitecture.Get(goarch);
        return new RuntimePlatform
        {
            PtrSize = arch.PtrSize,
            BigEndian = arch.BigEndian,
            Goarch = arch.Name,
            VersionInfo = versionInfo,
            Ncpu = ncpu,
            Arenas = arch.Arenas,
        };
    }

    /// <summary>
    /// The platform of a linux/<paramref name="goarch"/> process of <paramref name="release"/>, with the params string that
    /// release writes: GOEXPERIMENT (empty) up to Go 1.16, the build version (<c>go1.22.12</c>; <c>go1.20</c> for the
    /// first release of 1.20 and before, <c>go1.21.0</c> from 1.21) since 1.17.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown GOARCH.</exception>
    public static RuntimePlatform ForRelease(GoRelease release, string goarch, int ncpu = 1) =>
        ForArch(goarch, BuildVersion(release), ncpu) with { Release = release };

    /// <summary>The params string of <paramref name="release"/>. Go: runtime/heapdump.go dumpparams (goexperiment until 1.16, buildVersion since 1.17).</summary>
    public static string BuildVersion(GoRelease release) =>
        !release.IsAtLeast(1, 17) ? ""
        : release.Patch == 0 && !release.IsAtLeast(1, 21) ? $"go{release.Major}.{release.Minor}"
        : $"go{release.Major}.{release.Minor}.{release.Patch}";

    public override string ToString() =>
        $"{Goarch} ptr={PtrSize} {(BigEndian ? "big" : "little")}-endian version=\"{VersionInfo}\" ncpu={Ncpu} " +
        $"arena={Arenas.HeapArenaBytes:#,0}B offset=0x{Arenas.BaseOffset:x} L1={Arenas.L1Bits} L2={Arenas.L2Bits} release={Release}";
}

/// <summary>
/// Facts about a Go 1.19 linux architecture: what the params record says and what shapes its stack frames.
/// Go: internal/goarch (PtrSize, MinFrameSize, big-endian), runtime/malloc.go (arena geometry),
/// runtime/runtime2.go framepointer_enabled, runtime/traceback.go usesLR.
/// </summary>
/// <param name="Name">GOARCH.</param>
/// <param name="Arenas">Arena geometry.</param>
/// <param name="MinFrameSize">Reserved words at the bottom of a frame: argp = fp + MinFrameSize.</param>
/// <param name="UsesLinkRegister">True when the return address lives in a register (every arch but 386, amd64, wasm).</param>
/// <param name="FramePointerEnabled">True on amd64 and arm64: varp is one more word below fp when the frame is not empty.</param>
public sealed record GoArchitecture(
    string Name, ArenaGeometry Arenas, int MinFrameSize, bool UsesLinkRegister, bool FramePointerEnabled)
{
    // Pointer size and byte order come from the core's table, the one inspect and the validator read params against.
    private readonly GoArchTraits _traits = GoArchTraits.Find(Name) ?? throw new ArgumentException($"GOARCH '{Name}' is not in GoArchTraits", nameof(Name));

    /// <summary>Pointer size (<see cref="GoArchTraits.PtrSize"/>).</summary>
    public int PtrSize => _traits.PtrSize;

    /// <summary>Byte order (<see cref="GoArchTraits.BigEndian"/>).</summary>
    public bool BigEndian => _traits.BigEndian;

    private const ulong Arena64 = 64UL << 20;
    private const ulong Arena32 = 4UL << 20;
    private const ulong Amd64BaseOffset = 0xffff800000000000;

    // Go: malloc.go heapAddrBits = 48 on 64-bit (not wasm), 32 on 32-bit and wasm, 31 on mips/mipsle;
    // arenaL2Bits = heapAddrBits − logHeapArenaBytes − arenaL1Bits.
    private static readonly ArenaGeometry Geometry64 = new(Arena64, 0, 0, 48 - 26);
    private static readonly ArenaGeometry Geometry32 = new(Arena32, 0, 0, 32 - 22);

    private static readonly FrozenDictionary<string, GoArchitecture> ByName = new GoArchitecture[]
    {
        new("amd64", Geometry64 with { BaseOffset = Amd64BaseOffset }, 0, false, true),
        new("arm64", Geometry64, 8, true, true),
        new("386", Geometry32, 0, false, false),
        new("arm", Geometry32, 4, true, false),
        new("mips", Geometry32 with { L2Bits = 31 - 22 }, 4, true, false),
        new("mipsle", Geometry32 with { L2Bits = 31 - 22 }, 4, true, false),
        new("mips64", Geometry64, 8, true, false),
        new("mips64le", Geometry64, 8, true, false),
        new("ppc64", Geometry64, 32, true, false),
        new("ppc64le", Geometry64, 32, true, false),
        new("riscv64", Geometry64, 8, true, false),
        new("s390x", Geometry64, 8, true, false),
        new("loong64", Geometry64, 8, true, false),
        new("wasm", Geometry32, 0, false, false),
    }.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>Every architecture, by GOARCH, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["amd64", "arm64", "386", "arm", "mips", "mipsle", "mips64", "mips64le", "ppc64", "ppc64le", "riscv64", "s390x", "loong64", "wasm"];

    /// <summary>Every architecture.</summary>
    public static IEnumerable<GoArchitecture> All => Names.Select(n => ByName[n]);

    /// <summary>The architecture named <paramref name="goarch"/>.</summary>
    /// <exception cref="ArgumentException">Unknown GOARCH.</exception>
    public static GoArchitecture Get(string goarch) =>
        goarch is not null && ByName.TryGetValue(goarch, out var arch)
            ? arch
            : throw new ArgumentException($"unknown GOARCH '{goarch}'; known: {string.Join(", ", Names)}", nameof(goarch));
}
