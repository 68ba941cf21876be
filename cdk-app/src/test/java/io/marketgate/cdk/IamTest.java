package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** Least privilege: no policy of any stack grants a wildcard action, and only EC2's unscopable ENI actions get Resource "*". */
class IamTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void no_statement_allows_a_wildcard_action_and_only_network_interfaces_take_every_resource(String env) {
        Synthesized s = Synthesized.environment(env);
        for (Stack stack : s.stacks.all()) {
            Template template = s.template(stack);
            for (Map<String, Object> policy : Resources.properties(template, "AWS::IAM::Policy")) {
                for (Object st : Resources.list(at(policy, "PolicyDocument", "Statement"))) {
                    @SuppressWarnings("unchecked") Map<String, Object> statement = (Map<String, Object>) st;
                    List<Object> actions = Resources.list(statement.get("Action"));
                    assertThat(actions).as(stack.getStackName() + " " + statement)
                            .allSatisfy(a -> assertThat(String.valueOf(a)).doesNotContain("*"));
                    if (Resources.list(statement.get("Resource")).contains("*")) {
                        assertThat(actions).as(stack.getStackName() + " " + statement).allSatisfy(a ->
                                assertThat(ReleasedFunction.NETWORK_INTERFACE_ACTIONS).contains(String.valueOf(a)));
                    }
                }
            }
        }
    }
}
