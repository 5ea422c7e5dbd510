package dev.mailsec.it.load.stepcpu;

/** The management interface of {@link StepCpu}. */
public interface StepCpuMBean {

    /** One line per step: {@code step<TAB>calls<TAB>cpu ns<TAB>bytes allocated}. */
    String getSnapshot();
}
