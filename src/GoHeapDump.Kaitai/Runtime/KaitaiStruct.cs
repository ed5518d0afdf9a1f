using System.Diagnostics.CodeAnalysis;

namespace Kaitai;

/// <summary>Base of every generated type: the stream it was read from.</summary>
/// <remarks>Member names are the ones kaitai-struct-compiler's C# output uses; they cannot follow .NET naming.</remarks>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Names fixed by the generated code.")]
[SuppressMessage("Design", "CA1051:Do not declare visible instance fields", Justification = "Generated code assigns m_io directly.")]
[SuppressMessage("Naming", "CA1708:Identifiers should differ by more than case", Justification = "m_io and M_Io are both fixed by the generated code.")]
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Names fixed by the generated code.")]
// PartialRead (the error path) reflects over the generated types' fields and constructors; this keeps them under
// trimming and Native AOT, for every type derived from this one.
[DynamicallyAccessedMembers(PartialReadMembers)]
public abstract class KaitaiStruct
{
    /// <summary>The members PartialRead reads by reflection, kept for every generated type.</summary>
    internal const DynamicallyAccessedMemberTypes PartialReadMembers =
        DynamicallyAccessedMemberTypes.NonPublicFields | DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>The stream this object reads from.</summary>
    protected KaitaiStream m_io;

    protected KaitaiStruct(KaitaiStream io) => m_io = io;

    /// <summary>The stream this object reads from.</summary>
    public KaitaiStream M_Io => m_io;
}
