using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace GoHeapDump;

/// <summary>The compiler whose runtime wrote a dump.</summary>
public enum GoCompiler
{
    /// <summary>Not known from the dump.</summary>
    Unknown,

    /// <summary>The gc toolchain's runtime (<c>go build</c>).</summary>
    Gc,

    /// <summary>gccgo's runtime, libgo.</summary>
    Gccgo,
}

/// <summary>How far a release is from a final release.</summary>
public enum GoPrereleaseKind
{
    /// <summary>A final release: <c>go1.22.3</c>, <c>go1.20</c>.</summary>
    None,

    /// <summary>A development build of the coming release (<c>devel go1.22-…</c>): between the previous release and this one.</summary>
    Devel,

    /// <summary>A beta: <c>go1.22beta1</c>.</summary>
    Beta,

    /// <summary>A release candidate: <c>go1.22rc2</c>.</summary>
    ReleaseCandidate,
}

/// <summary>
/// A Go release number: <c>1.22.12</c>, <c>1.20</c> (the first 1.20 release, named without a patch before Go 1.21),
/// <c>1.23rc1</c>, or the development of <c>1.22</c>. Ordered the way the releases came out: development builds,
/// betas, release candidates, then the release and its patches.
/// </summary>
/// <param name="Major">1.</param>
/// <param name="Minor">The minor release (22).</param>
/// <param name="Patch">The patch (12); 0 for <c>go1.20</c> and <c>go1.21.0</c> alike, and for prereleases.</param>
/// <param name="Prerelease">Release, devel, beta or rc.</param>
/// <param name="PrereleaseNumber">The beta or rc number; 0 otherwise.</param>
public readonly record struct GoRelease(int Major, int Minor, int Patch = 0, GoPrereleaseKind Prerelease = GoPrereleaseKind.None, int PrereleaseNumber = 0)
    : IComparable<GoRelease>
{
    public int CompareTo(GoRelease other)
    {
        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = Rank(Prerelease).CompareTo(Rank(other.Prerelease));
        }

        if (c == 0)
        {
            c = PrereleaseNumber.CompareTo(other.PrereleaseNumber);
        }

        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    /// <summary>True when this release is <paramref name="major"/>.<paramref name="minor"/> or later (any prerelease of it counts).</summary>
    public bool IsAtLeast(int major, int minor) => Major > major || (Major == major && Minor >= minor);

    public static bool operator <(GoRelease a, GoRelease b) => a.CompareTo(b) < 0;

    public static bool operator >(GoRelease a, GoRelease b) => a.CompareTo(b) > 0;

    public static bool operator <=(GoRelease a, GoRelease b) => a.CompareTo(b) <= 0;

    public static bool operator >=(GoRelease a, GoRelease b) => a.CompareTo(b) >= 0;

    /// <summary><c>1.22.12</c>, <c>1.22rc1</c>, <c>1.22 (devel)</c>.</summary>
    public override string ToString() => Prerelease switch
    {
        GoPrereleaseKind.Devel => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor} (devel)"),
        GoPrereleaseKind.Beta => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}beta{PrereleaseNumber}"),
        GoPrereleaseKind.ReleaseCandidate => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}rc{PrereleaseNumber}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}"),
    };

    private static int Rank(GoPrereleaseKind kind) => kind switch
    {
        GoPrereleaseKind.Devel => 0,
        GoPrereleaseKind.Beta => 1,
        GoPrereleaseKind.ReleaseCandidate => 2,
        _ => 3,
    };
}

/// <summary>
/// What a dump says about the Go release that wrote it: the one place that reads the params record's
/// <c>version_info</c> string and the header for it. Validator rules that hold only from or until some release, the
/// CLI's producer line and the tests' version-aware expectations all ask this type.
/// </summary>
/// <remarks>
/// What the string is (spec/FORMAT.md, params): since Go 1.17 the runtime writes its build version (Go:
/// runtime/heapdump.go dumpparams, <c>buildVersion</c>, the string <c>runtime.Version()</c> returns): <c>go1.22.12</c>,
/// <c>go1.20</c>, <c>go1.23rc1</c>, <c>devel go1.24-3f5b1c2 Tue Jan 7 … 2025 +0000</c>, a vendor suffix
/// (<c>go1.21.0-bigcorp</c>), and, when the build enabled experiments the release does not enable by default, a
/// space and <c>X:</c> with them comma-separated (<c>go1.22.1 X:noallocheaders</c>; Go: internal/buildcfg
/// Experiment.String). Go 1.7 to 1.16 wrote the GOEXPERIMENT string there instead (usually empty), so a go1.7
/// header without a version names no release but bounds it (1.7 to 1.16); go1.5 and go1.6 headers name their
/// release. gccgo's libgo writes <c>unknown</c> (what its <c>runtime.Version()</c> returns), the one value gc never
/// writes, so <c>unknown</c> under a go1.7 header is read as gccgo with an unknown release.
/// <para>
/// A rule that holds only from some release asks <see cref="IsAtLeast"/>; one that holds only until some release asks
/// <see cref="IsBefore"/>. Both answer false when the dump does not say, so a version-gated rule never fires on a dump
/// of unknown version.
/// </para>
/// </remarks>
public sealed record GoVersion
{
    /// <summary>The params record's version string as written (UTF-8, invalid bytes replaced).</summary>
    public required string Text { get; init; }

    /// <summary>The compiler, when the string or the header tells.</summary>
    public required GoCompiler Compiler { get; init; }

    /// <summary>The release, when the dump names it (for a development build, the release in development, with
    /// <see cref="GoPrereleaseKind.Devel"/>).</summary>
    public GoRelease? Release { get; init; }

    /// <summary>The earliest release that could have written this dump, when bounded.</summary>
    public GoRelease? Earliest { get; init; }

    /// <summary>The latest release that could have written this dump, when bounded (go1.5/go1.6 headers; GOEXPERIMENT strings).</summary>
    public GoRelease? Latest { get; init; }

    /// <summary>Experiments named after <c>X:</c> (lower case as written: <c>noallocheaders</c>, <c>loopvar</c>).</summary>
    public ImmutableArray<string> Experiments { get; init; } = [];

    /// <summary>Text after the release number that is not a prerelease tag (<c>-bigcorp</c>, <c>-3f5b1c2 Tue …</c> for devel), or null.</summary>
    public string? Suffix { get; init; }

    /// <summary>True for a development build (<c>devel …</c>).</summary>
    public bool IsDevel { get; init; }

    /// <summary>True when the dump says which release wrote it (<see cref="Release"/> is set).</summary>
    public bool IsKnown => Release is not null;

    /// <summary>True only when the dump was certainly written by release <paramref name="major"/>.<paramref name="minor"/>
    /// or later: its betas and release candidates count, a development build of it does not (it may predate the change a
    /// rule depends on). False when unknown.</summary>
    public bool IsAtLeast(int major, int minor) => Earliest is { } e && e.IsAtLeast(major, minor);

    /// <summary>True only when the dump was certainly written by a release before <paramref name="major"/>.<paramref name="minor"/>.
    /// False when unknown.</summary>
    public bool IsBefore(int major, int minor) => Latest is { } l && !l.IsAtLeast(major, minor);

    /// <summary>True when <paramref name="experiment"/> is listed after <c>X:</c>.</summary>
    public bool HasExperiment(string experiment) => Experiments.Contains(experiment, StringComparer.Ordinal);

    /// <summary>
    /// Whether objects with pointers in small-object spans larger than 512 bytes (128 with 4-byte pointers) start with
    /// an 8-byte malloc header (a type pointer the dump does not list as a pointer field): gc from Go 1.22, unless built with <c>X:noallocheaders</c> (possible in
    /// 1.22 and 1.23; Go: runtime/mbitmap.go, internal/goexperiment AllocHeaders). False for gc before 1.22 and for
    /// gccgo; null when the dump does not say.
    /// </summary>
    public bool? MallocHeaders => Compiler switch
    {
        GoCompiler.Gccgo => false,
        _ when IsAtLeast(1, 22) => !HasExperiment("noallocheaders"),
        _ when IsBefore(1, 22) => false,
        _ => null,
    };

    /// <summary>A short description: <c>gc go1.22.12</c>, <c>gccgo (release unknown)</c>, <c>gc 1.7–1.16 (GOEXPERIMENT "")</c>.</summary>
    public string Describe()
    {
        var compiler = Compiler switch { GoCompiler.Gc => "gc", GoCompiler.Gccgo => "gccgo", _ => "unknown compiler" };
        if (IsKnown)
        {
            return $"{compiler} {Text}";
        }

        if (Earliest is { } e && Latest is { } l)
        {
            return e == l ? $"{compiler} go{e.Major}.{e.Minor}" : $"{compiler} go{e.Major}.{e.Minor}–go{l.Major}.{l.Minor} (version string \"{Text}\")";
        }

        if (Earliest is { } from)
        {
            return $"{compiler} go{from.Major}.{from.Minor} or later (version string \"{Text}\")";
        }

        return $"{compiler}, release unknown (version string \"{Text}\")";
    }

    public override string ToString() => Describe();

    /// <summary>The version of the dump whose params record this is.</summary>
    public static GoVersion FromParams(ParamsRecord record, HeaderVersion header)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Parse(record.VersionInfo.ToString(), header);
    }

    /// <summary>Reads a params <c>version_info</c> string under the given header. Never throws: what it cannot read is unknown.</summary>
    public static GoVersion Parse(string versionInfo, HeaderVersion header = HeaderVersion.Go17)
    {
        ArgumentNullException.ThrowIfNull(versionInfo);
        switch (header)
        {
            // The header names the release; the string is GOEXPERIMENT.
            case HeaderVersion.Go15:
            case HeaderVersion.Go16:
                var r = new GoRelease(1, (int)header);
                return new GoVersion { Text = versionInfo, Compiler = GoCompiler.Gc, Earliest = r, Latest = r, Experiments = SplitList(versionInfo) };
        }

        var text = versionInfo.Trim();
        if (text == "unknown")
        {
            return new GoVersion { Text = versionInfo, Compiler = GoCompiler.Gccgo };
        }

        // " X:a,b" ends the string when present (Go: runtime/extern.go Version, internal/buildcfg).
        var experiments = ImmutableArray<string>.Empty;
        var x = text.IndexOf(" X:", StringComparison.Ordinal);
        if (x >= 0)
        {
            experiments = SplitList(text[(x + 3)..]);
            text = text[..x].TrimEnd();
        }

        var devel = text.StartsWith("devel", StringComparison.Ordinal);
        if (devel)
        {
            // "devel go1.24-3f5b1c2 Tue …" (1.18+), "devel +3f5b1c2 Tue …" (older): the release in development, if named.
            var rest = text["devel".Length..].TrimStart();
            // A development build of 1.N lies between the 1.(N-1) release and 1.N: it has everything of 1.(N-1) and
            // possibly some of 1.N, so it is at least 1.(N-1) and not certainly 1.N.
            if (TryRelease(rest, out var dev, out var end))
            {
                dev = dev with { Patch = 0, Prerelease = GoPrereleaseKind.Devel, PrereleaseNumber = 0 };
                return new GoVersion
                {
                    Text = versionInfo, Compiler = GoCompiler.Gc, Release = dev, Earliest = new GoRelease(dev.Major, Math.Max(0, dev.Minor - 1)),
                    Latest = dev, IsDevel = true, Experiments = experiments, Suffix = NullIfEmpty(rest[end..]),
                };
            }

            // buildVersion has been written since the 1.17 development, so an unnamed development build has all of 1.16.
            return new GoVersion
            {
                Text = versionInfo, Compiler = GoCompiler.Gc, Earliest = new GoRelease(1, 16), IsDevel = true,
                Experiments = experiments, Suffix = NullIfEmpty(rest),
            };
        }

        if (TryRelease(text, out var release, out var consumed))
        {
            return new GoVersion
            {
                Text = versionInfo, Compiler = text.Contains("gccgo", StringComparison.Ordinal) ? GoCompiler.Gccgo : GoCompiler.Gc,
                Release = release, Earliest = release, Latest = release, Experiments = experiments, Suffix = NullIfEmpty(text[consumed..]),
            };
        }

        // Not a build version: Go 1.7–1.16 wrote GOEXPERIMENT here (usually ""); anything else is unknown.
        if (LooksLikeExperimentList(versionInfo))
        {
            return new GoVersion
            {
                Text = versionInfo, Compiler = GoCompiler.Gc, Earliest = new GoRelease(1, 7), Latest = new GoRelease(1, 16),
                Experiments = SplitList(versionInfo),
            };
        }

        return new GoVersion { Text = versionInfo, Compiler = GoCompiler.Unknown };
    }

    /// <summary>Parses <c>go1.N[.P|betaN|rcN]</c> at the start of <paramref name="s"/>; <paramref name="end"/> is where it stopped.</summary>
    private static bool TryRelease(string s, out GoRelease release, out int end)
    {
        release = default;
        end = 0;
        if (!s.StartsWith("go", StringComparison.Ordinal))
        {
            return false;
        }

        var i = 2;
        if (!Number(s, ref i, out var major) || i >= s.Length || s[i] != '.')
        {
            return false;
        }

        i++;
        if (!Number(s, ref i, out var minor))
        {
            return false;
        }

        release = new GoRelease(major, minor);
        if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
        {
            i++;
            Number(s, ref i, out var patch);
            release = release with { Patch = patch };
        }
        else
        {
            foreach (var (tag, kind) in PrereleaseTags)
            {
                var at = i;
                if (string.CompareOrdinal(s, at, tag, 0, tag.Length) == 0 && (at += tag.Length) < s.Length && Number(s, ref at, out var n))
                {
                    release = release with { Prerelease = kind, PrereleaseNumber = n };
                    i = at;
                    break;
                }
            }
        }

        end = i;
        return true;
    }

    private static readonly (string Tag, GoPrereleaseKind Kind)[] PrereleaseTags =
        [("beta", GoPrereleaseKind.Beta), ("rc", GoPrereleaseKind.ReleaseCandidate)];

    /// <summary>A decimal number of up to 6 digits at <paramref name="i"/> (release numbers are small; longer is not a release).</summary>
    private static bool Number(string s, ref int i, out int value)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]) && i - start < 6)
        {
            i++;
        }

        value = i > start ? int.Parse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        return i > start && (i >= s.Length || !char.IsAsciiDigit(s[i]));
    }

    /// <summary>GOEXPERIMENT as the 1.7–1.16 runtime wrote it: empty, or comma-separated lower-case identifiers (none of
    /// which starts with "go": a string that does is a damaged version, not an experiment list).</summary>
    private static bool LooksLikeExperimentList(string s) =>
        s.Length == 0 || s.Split(',').All(e => e.Length > 0 && !e.StartsWith("go", StringComparison.Ordinal)
            && e.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'));

    private static ImmutableArray<string> SplitList(string s) =>
        [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}

/// <summary>
/// What a GOARCH implies for a dump's params record: its pointer size and byte order. Go: internal/goarch
/// (PtrSize, BigEndian) per zgoarch_*.go.
/// </summary>
/// <param name="Name">GOARCH.</param>
/// <param name="PtrSize">Pointer size in bytes.</param>
/// <param name="BigEndian">True on big-endian architectures.</param>
public sealed record GoArchTraits(string Name, int PtrSize, bool BigEndian)
{
    private static readonly FrozenDictionary<string, GoArchTraits> ByName = new GoArchTraits[]
    {
        new("386", 4, false), new("amd64", 8, false), new("arm", 4, false), new("arm64", 8, false),
        new("loong64", 8, false), new("mips", 4, true), new("mipsle", 4, false), new("mips64", 8, true),
        new("mips64le", 8, false), new("ppc64", 8, true), new("ppc64le", 8, false), new("riscv64", 8, false),
        new("s390x", 8, true), new("wasm", 8, false),
        // gccgo-only architectures (libgo's goarch.sh).
        new("alpha", 8, false), new("arm64be", 8, true), new("armbe", 4, true), new("ia64", 8, false),
        new("m68k", 4, true), new("mips64p32", 4, true), new("mips64p32le", 4, false), new("nios2", 4, false),
        new("ppc", 4, true), new("riscv", 4, false), new("s390", 4, true), new("sh", 4, false), new("shbe", 4, true),
        new("sparc", 4, true), new("sparc64", 8, true),
    }.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>Every architecture known here.</summary>
    public static IEnumerable<GoArchTraits> All => ByName.Values;

    /// <summary>The traits of <paramref name="goarch"/>, or null for an architecture not known here.</summary>
    public static GoArchTraits? Find(string goarch) => ByName.GetValueOrDefault(goarch);
}

/// <summary>
/// Who wrote a dump, as far as its header and params record tell: the Go version and compiler, the architecture,
/// the pointer size and byte order the params state (and whether they are what the architecture implies), and
/// whether objects carry malloc headers. <c>goheapdump inspect</c> prints <see cref="Describe"/>.
/// </summary>
/// <param name="Version">The version the params string names.</param>
/// <param name="Arch">GOARCH (for go1.5/go1.6 headers, the architecture thechar stands for).</param>
/// <param name="PtrSize">The params pointer size.</param>
/// <param name="BigEndian">The params byte order.</param>
public sealed record DumpProducer(GoVersion Version, string Arch, ulong PtrSize, bool BigEndian)
{
    /// <summary>What <see cref="Arch"/> implies, or null when the architecture is not known here.</summary>
    public GoArchTraits? ArchTraits => GoArchTraits.Find(Arch);

    /// <summary>True when the params pointer size and byte order are what the architecture implies; null when it is not known.</summary>
    public bool? MatchesArch => ArchTraits is { } t ? (ulong)t.PtrSize == PtrSize && t.BigEndian == BigEndian : null;

    /// <summary>The producer of a dump from its params record.</summary>
    public static DumpProducer FromParams(ParamsRecord record, HeaderVersion header)
    {
        ArgumentNullException.ThrowIfNull(record);
        var arch = record.Arch?.ToString() ?? TheCharArch(record.TheChar ?? 0);
        return new DumpProducer(GoVersion.FromParams(record, header), arch, record.PtrSize, record.BigEndian);
    }

    /// <summary>The architecture a go1.5/go1.6 params "thechar" stands for (<c>thechar 54</c> when not known).</summary>
    public static string TheCharArch(ulong theChar) =>
        HeapDumpFormat.TheCharArchitectures.GetValueOrDefault(theChar, string.Create(CultureInfo.InvariantCulture, $"thechar {theChar}"));

    /// <summary>
    /// One line: <c>gc go1.22.12; s390x: 8-byte pointers, big-endian (as s390x implies); malloc headers (Go 1.22+: objects
    /// with pointers over 512 bytes in small-object spans start with an 8-byte type header)</c>.
    /// </summary>
    public string Describe()
    {
        var order = BigEndian ? "big" : "little";
        var arch = MatchesArch switch
        {
            true => $"as {Arch} implies",
            false => $"but {Arch} has {ArchTraits!.PtrSize}-byte pointers, {(ArchTraits.BigEndian ? "big" : "little")}-endian",
            null => "an architecture not known here",
        };
        var headers = Version.MallocHeaders switch
        {
            // Go: runtime/mbitmap.go minSizeForMallocHeader = goarch.PtrSize * ptrBits (exclusive), mallocHeaderSize = 8.
            true => string.Create(CultureInfo.InvariantCulture,
                $"malloc headers (Go 1.22+: objects with pointers over {PtrSize * PtrSize * 8} bytes in small-object spans start with an 8-byte type header)"),
            false => "no malloc headers",
            null => "malloc headers unknown (release not known)",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Version.Describe()}; {Arch}: {PtrSize}-byte pointers, {order}-endian ({arch}); {headers}");
    }

    public override string ToString() => Describe();
}
