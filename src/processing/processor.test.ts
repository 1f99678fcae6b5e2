// The Processor contract against the inline adapter (the container entry and the service
// binding run the same suite: test/helpers/processor-contract.ts).
import { inlineProcessor } from "./processor";
import { processorContract } from "../../test/helpers/processor-contract";

processorContract("inline", () => inlineProcessor);
