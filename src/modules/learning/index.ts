/**
 * The learning module's public face (issue 5): the learning catalogue, recommendations,
 * development plans, evidence and validation. Other modules use only what is exported here.
 */
export {};
