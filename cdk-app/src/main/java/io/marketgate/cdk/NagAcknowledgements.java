package io.marketgate.cdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * The cdk-nag findings a stack accepts, each with the reason it is accepted, in one place per stack. A reason must
 * say why (at least a sentence): an acknowledgement without one is refused at synthesis.
 *
 * <pre>{@code
 * NagAcknowledgements.of(this).acknowledge(bucket, "AwsSolutions-S1", "export results live one day; ...");
 * }</pre>
 */
public final class NagAcknowledgements {

    /** A reason shorter than this is not a reason. */
    static final int MIN_REASON_LENGTH = 40;

    /** Every acknowledgement made in this JVM, for the test that reads them all. */
    private static final List<Made> MADE = Collections.synchronizedList(new ArrayList<>());

    /** One acknowledgement: where, which finding, why. */
    public record Made(String path, String findingId, String reason) {}

    private final IConstruct owner;

    private NagAcknowledgements(IConstruct owner) {
        this.owner = owner;
    }

    /** The acknowledgements of {@code owner} (a stack or construct); for messages only. */
    public static NagAcknowledgements of(IConstruct owner) {
        return new NagAcknowledgements(owner);
    }

    /** Accepts finding {@code findingId} (a rule id, or {@code Rule[finding]}) on {@code scope} and below, for {@code reason}. */
    public NagAcknowledgements acknowledge(IConstruct scope, String findingId, String reason) {
        if (reason == null || reason.strip().length() < MIN_REASON_LENGTH) {
            throw new IllegalArgumentException("the acknowledgement of " + findingId + " on " + scope.getNode().getPath()
                    + " in " + owner.getNode().getPath() + " needs a written reason of at least " + MIN_REASON_LENGTH
                    + " characters, was '" + reason + "'");
        }
        Validations.of(scope).acknowledge(Acknowledgment.builder().id(findingId).reason(reason).build());
        MADE.add(new Made(scope.getNode().getPath(), findingId, reason));
        return this;
    }

    /** Every acknowledgement made so far in this JVM. */
    public static List<Made> made() {
        synchronized (MADE) {
            return List.copyOf(MADE);
        }
    }
}
