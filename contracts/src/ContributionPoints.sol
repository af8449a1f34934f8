// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {IContributionPoints} from "./interfaces/IContributionPoints.sol";

/// @dev What ContributionPoints reads from the AllianceRegistry.
interface IAllianceForPoints {
    function hospitalOfOperator(address operator) external view returns (address hospital);

    function isRelayer(address account) external view returns (bool relayer);
}

/// @dev What ContributionPoints reads from the EmrRegistry.
interface IEmrForPoints {
    function patientOf(bytes32 recordId) external view returns (address patient);
}

/// @dev What ContributionPoints reads from the ConsentManager.
interface IConsentForPoints {
    function accessLevel(bytes32 recordId, address grantee) external view returns (uint8 level, uint256 expiresAt);

    function shareOf(bytes32 recordId) external view returns (uint256 share);
}

/// @title ContributionPoints
/// @notice Patients' contribution points for shared records, rated by hospitals (see IContributionPoints).
contract ContributionPoints is IContributionPoints {
    struct Rating {
        uint8 valueLevel;
        uint8 rarityLevel;
        address hospital;
        uint256 ratedAt;
    }

    struct Settled {
        uint256 pointsTenths;
        uint256 share;
        uint8 valueLevel;
        uint8 rarityLevel;
    }

    uint8 internal constant MAX_TIER = 3;

    IAllianceForPoints private immutable _alliance;
    IEmrForPoints private immutable _emr;
    IConsentForPoints private immutable _consent;

    mapping(bytes32 => Rating) private _ratings;
    mapping(bytes32 => Settled) private _settled;
    mapping(address => uint256) private _totals;

    /// @param alliance The AllianceRegistry (operators, relayers).
    /// @param emr The EmrRegistry (record → patient).
    /// @param consent The ConsentManager (grants and share).
    constructor(address alliance, address emr, address consent) {
        if (alliance == address(0) || emr == address(0) || consent == address(0)) {
            revert ContributionPointsZeroAddress();
        }
        _alliance = IAllianceForPoints(alliance);
        _emr = IEmrForPoints(emr);
        _consent = IConsentForPoints(consent);
    }

    /// @inheritdoc IContributionPoints
    function rate(bytes32 recordId, uint8 valueLevel, uint8 rarityLevel) external override {
        address hospital = _alliance.hospitalOfOperator(msg.sender);
        if (hospital == address(0)) revert ContributionPointsNotHospitalOperator(msg.sender);
        if (valueLevel < 1 || valueLevel > 3 || rarityLevel < 1 || rarityLevel > 3) {
            revert ContributionPointsInvalidLevel(valueLevel, rarityLevel);
        }
        if (_emr.patientOf(recordId) == address(0)) revert ContributionPointsUnknownRecord(recordId);
        (uint8 level, ) = _consent.accessLevel(recordId, hospital);
        if (level == 0) revert ContributionPointsNoActiveGrant(recordId, hospital);

        // solhint-disable-next-line not-rely-on-time
        _ratings[recordId] = Rating(valueLevel, rarityLevel, hospital, block.timestamp);
        emit RecordRated(recordId, hospital, valueLevel, rarityLevel);
    }

    /// @inheritdoc IContributionPoints
    function settle(bytes32 recordId) external override {
        if (!_alliance.isRelayer(msg.sender)) revert ContributionPointsNotRelayer(msg.sender);
        address patient = _emr.patientOf(recordId);
        if (patient == address(0)) revert ContributionPointsUnknownRecord(recordId);

        uint256 share = _consent.shareOf(recordId);
        Rating storage r = _ratings[recordId];
        uint8 v = r.valueLevel;
        uint8 rr = r.rarityLevel;
        uint256 points = _pointsTenths(share, v, rr);

        Settled storage s = _settled[recordId];
        uint256 total = _totals[patient] - s.pointsTenths + points;
        _totals[patient] = total;
        s.pointsTenths = points;
        s.share = share;
        s.valueLevel = v;
        s.rarityLevel = rr;
        emit PointsSettled(recordId, patient, share, v, rr, points, total, _tierOfTotal(total));
    }

    /// @inheritdoc IContributionPoints
    function pointsOf(address patient) external view override returns (uint256 totalTenths, uint8 tier, uint8 perks) {
        totalTenths = _totals[patient];
        tier = _tierOfTotal(totalTenths);
        (, perks) = _tier(tier);
    }

    /// @inheritdoc IContributionPoints
    function recordPointsOf(bytes32 recordId)
        external
        view
        override
        returns (uint256 pointsTenths, uint256 share, uint8 valueLevel, uint8 rarityLevel)
    {
        Settled storage s = _settled[recordId];
        return (s.pointsTenths, s.share, s.valueLevel, s.rarityLevel);
    }

    /// @inheritdoc IContributionPoints
    function ratingOf(bytes32 recordId)
        external
        view
        override
        returns (uint8 valueLevel, uint8 rarityLevel, address hospital, uint256 ratedAt)
    {
        Rating storage r = _ratings[recordId];
        return (r.valueLevel, r.rarityLevel, r.hospital, r.ratedAt);
    }

    /// @inheritdoc IContributionPoints
    function tierOf(uint8 tier) external pure override returns (uint256 thresholdTenths, uint8 perks) {
        if (tier > MAX_TIER) revert ContributionPointsInvalidTier(tier);
        return _tier(tier);
    }

    /// @inheritdoc IContributionPoints
    function dependencies() external view override returns (address alliance, address emr, address consent) {
        return (address(_alliance), address(_emr), address(_consent));
    }

    /// @dev 3·share + 4·VALUE[v] + 3·RARITY[r] tenths; 0 when share is 0 (not shared); level 0 counts 0.
    function _pointsTenths(uint256 share, uint8 valueLevel, uint8 rarityLevel) private pure returns (uint256) {
        if (share == 0) return 0;
        return 3 * share + 4 * _value(valueLevel) + 3 * _rarity(rarityLevel);
    }

    /// @dev VALUE = {1: 5, 2: 20, 3: 30}; 0 when unrated.
    function _value(uint8 level) private pure returns (uint256) {
        if (level == 1) return 5;
        if (level == 2) return 20;
        if (level == 3) return 30;
        return 0;
    }

    /// @dev RARITY = {1: 5, 2: 15, 3: 25}; 0 when unrated.
    function _rarity(uint8 level) private pure returns (uint256) {
        if (level == 1) return 5;
        if (level == 2) return 15;
        if (level == 3) return 25;
        return 0;
    }

    /// @dev The tier table: (threshold in tenths, perks) of tiers 0–3.
    function _tier(uint8 tier) private pure returns (uint256 thresholdTenths, uint8 perks) {
        if (tier == 0) return (0, 0);
        if (tier == 1) return (1000, 1);
        if (tier == 2) return (5000, 1 | 2);
        return (20000, 1 | 2 | 4 | 8);
    }

    /// @dev The highest tier whose threshold the total reaches.
    function _tierOfTotal(uint256 totalTenths) private pure returns (uint8 tier) {
        for (tier = MAX_TIER; tier > 0; tier--) {
            (uint256 threshold, ) = _tier(tier);
            if (totalTenths >= threshold) return tier;
        }
        return 0;
    }
}
