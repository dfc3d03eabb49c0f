using System.Runtime.InteropServices;

namespace Flowhive.Probe.Engine.Classification.Ndpi;

/// <summary>
/// One nDPI detection module. Flows being inspected hold a reference (<see cref="SafeHandle.DangerousAddRef"/>),
/// so a module retired by a rule reload is freed only when the last flow that started on it has finished.
/// </summary>
internal sealed class NdpiModuleHandle : SafeHandle
{
    public NdpiModuleHandle(nint module)
        : base(0, ownsHandle: true)
    {
        SetHandle(module);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        // Module set-up and tear-down touch nDPI's process-wide state: one at a time.
        lock (NdpiEngine.NativeLock)
        {
            NdpiNative.ModuleFree(handle);
        }

        return true;
    }
}
