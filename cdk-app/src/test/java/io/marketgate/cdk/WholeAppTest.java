package io.marketgate.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** Every environment file of the repository synthesizes, with cdk-nag's AwsSolutions pack and no unacknowledged finding. */
class WholeAppTest {

    static List<String> environments() {
        return EnvironmentLoader.environments(Synthesized.ROOT.resolve("environments"));
    }

    @ParameterizedTest
    @MethodSource("environments")
    void synthesizes_with_no_unacknowledged_cdk_nag_finding_and_no_warning(String env) {
        // GIVEN / WHEN the environment is synthesized with AwsSolutions (a finding fails synthesis)
        Synthesized synthesized = Synthesized.environment(env);
        // THEN no stack carries an error or warning annotation
        for (Stack stack : synthesized.stacks.all()) {
            Annotations annotations = Annotations.fromStack(stack);
            assertThat(describe(annotations.findError("*", Match.anyValue()))).as(stack.getStackName() + " errors").isEmpty();
            assertThat(describe(annotations.findWarning("*", Match.anyValue()))).as(stack.getStackName() + " warnings").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("environments")
    void every_accepted_finding_carries_a_written_reason(String env) {
        Synthesized.environment(env);
        assertThat(NagAcknowledgements.made()).filteredOn(a -> a.path().startsWith("marketgate-" + env + "-")).isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.findingId()).startsWith("AwsSolutions-");
                    assertThat(a.reason().strip()).hasSizeGreaterThanOrEqualTo(NagAcknowledgements.MIN_REASON_LENGTH);
                });
    }

    @ParameterizedTest
    @MethodSource("environments")
    void names_that_aws_keeps_unique_per_account_and_region_are_unique_across_the_app(String env) {
        // GIVEN the environment synthesized
        Synthesized s = Synthesized.environment(env);
        // WHEN the explicit names of alarms, functions, queues, tables and topics are collected over every stack
        Map<String, String> nameProperty = Map.of("AWS::CloudWatch::Alarm", "AlarmName", "AWS::Lambda::Function", "FunctionName",
                "AWS::SQS::Queue", "QueueName", "AWS::DynamoDB::Table", "TableName", "AWS::SNS::Topic", "TopicName");
        List<String> names = new ArrayList<>();
        for (Stack stack : s.stacks.all()) {
            nameProperty.forEach((type, property) -> Resources.properties(s.template(stack), type)
                    .forEach(r -> names.add(type + " " + r.get(property))));
        }
        // THEN none is given twice (two stacks would fight over it, and the second deployment fails)
        assertThat(names).doesNotHaveDuplicates().noneMatch(n -> n.endsWith(" null"));
    }

    @ParameterizedTest
    @MethodSource("environments")
    void every_alarm_notifies_the_alerts_topic(String env) {
        Synthesized s = Synthesized.environment(env);
        for (Stack stack : s.stacks.all()) {
            assertThat(Resources.properties(s.template(stack), "AWS::CloudWatch::Alarm")).as(stack.getStackName())
                    .allSatisfy(a -> assertThat(Resources.list(a.get("AlarmActions"))).as(String.valueOf(a.get("AlarmName")))
                            .singleElement().asString().contains("marketgate-" + env + "-alerts"));
        }
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
    }
}
