import { accessAnalyzerService } from './accessanalyzer';
import { configService } from './config';
import { eventBridgeService } from './eventbridge';
import { iamService } from './iam';
import { organizationsService } from './organizations';
import { s3Service } from './s3';
import { securityHubService } from './securityhub';
import { securityLakeService } from './securitylake';
import type { ServiceDefinition } from './service';
import { snsService } from './sns';
import { stepFunctionsService } from './stepfunctions';
import { stsService } from './sts';

/** Every service FakeAws serves. Add a service here once its model and handlers exist. */
export const SERVICES: ServiceDefinition[] = [
  organizationsService, stsService, iamService, s3Service, snsService, eventBridgeService, stepFunctionsService,
  securityHubService, securityLakeService, configService, accessAnalyzerService,
];
