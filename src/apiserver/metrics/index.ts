// The metrics API (metrics.k8s.io) the apiserver serves from its kubelets' resource metrics.
export { MetricsApi, metricsGroup, type MetricsApiOptions } from './api.js';
export { kubeletScraper, type KubeletScraper, type NodeScraper } from './scrape.js';
